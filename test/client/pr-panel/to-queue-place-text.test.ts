import { describe, expect, it } from 'vitest';
import type { PullRequestQueueView } from '../../../server/web/api/merge-queue-views';
import { toLeaveQueuePlan, toQueuePlaceText, toQueuePlan } from '../../../client/pr-panel/to-queue-place-text';

const base: PullRequestQueueView = {
  repository: 'acme/web', branch: 'main', pullRequestId: 5, mergeViaQueue: false, place: null, batch: null, queueLength: 0,
  freeze: { frozen: false, until: null, reason: null }, paused: false, lastLeft: null, canQueue: true,
  landing: { strategy: 'merge_commit', closeSourceBranch: null, sourceBranchClosed: false },
};

describe('the PR panel’s merge queue line', () => {
  it('gives the position, the batch and who it is tested with, and the ETA', () => {
    const text = toQueuePlaceText({ ...base, place: { position: 2, state: 'batched', lane: 'default', etaAt: '2026-12-01T10:30:00.000Z' }, batch: { id: 'b3', prIds: [4, 5], state: 'testing' }, queueLength: 3 });
    expect(text.headline).toBe('Position 2 of 3 in the main queue.');
    expect(text.detail).toBe('Being tested with #4 (batch b3, testing). Expected around 10:30 UTC.');
  });
  it('says a frozen branch holds it, and names a priority lane', () => {
    const text = toQueuePlaceText({ ...base, place: { position: 1, state: 'waiting', lane: 'hotfix', etaAt: null }, queueLength: 1, freeze: { frozen: true, until: null, reason: 'release' } });
    expect(text.headline).toBe('Position 1 of 1 in the main queue (hotfix lane).');
    expect(text.detail).toBe('Waiting for a batch. main is frozen (release): nothing lands until it thaws.');
  });
  it('out of the queue: merged, ejected with the reason, or not queued (with the policy)', () => {
    expect(toQueuePlaceText({ ...base, lastLeft: { state: 'merged', reason: null, endedAt: null } }).headline).toBe('Merged by the main queue.');
    expect(toQueuePlaceText({ ...base, lastLeft: { state: 'ejected', reason: 'tests fail with delta', endedAt: null } }).headline).toBe('Taken out of the main queue: tests fail with delta');
    expect(toQueuePlaceText({ ...base, mergeViaQueue: true, queueLength: 2 })).toEqual({ headline: 'Not in the main merge queue (2 queued).', detail: 'Merge when green on main goes through the queue.' });
  });
  it('the buttons run the same tools as /bosun queue and /bosun dequeue', () => {
    expect(toQueuePlan('web', 5).steps).toEqual([{ tool: 'mergeQueue.enqueue', input: { repo: 'web', pullRequestId: 5 } }]);
    expect(toLeaveQueuePlan('web', 5).steps).toEqual([{ tool: 'mergeQueue.dequeue', input: { repo: 'web', pullRequestId: 5 } }]);
  });
});
