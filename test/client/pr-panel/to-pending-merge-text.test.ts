import { describe, expect, it } from 'vitest';
import { toCancelPlan, toPendingMergeSentence, toRequesterName } from '../../../client/pr-panel/to-pending-merge-text';

const pending = { id: 1, kind: 'merge-when-green' as const, mergeStrategy: 'squash_fast_forward', requestedBy: null, requestedAt: '2026-01-01T00:00:00Z', attempts: 0, reason: null };

describe('pending merge text', () => {
  it('names who armed it as people know them, ids only when nothing else is known', () => {
    expect(toRequesterName({ uuid: '{b}', accountId: 'a-1', displayName: 'Bob Builder', nickname: 'bob' })).toBe('Bob Builder');
    expect(toRequesterName({ uuid: '{b}', accountId: 'a-1', displayName: null, nickname: 'bob' })).toBe('@bob');
    expect(toRequesterName({ uuid: '{b}', accountId: 'a-1', displayName: null, nickname: null })).toBe('a-1');
    expect(toRequesterName(null)).toBe('someone');
  });

  it('says what will happen, and cancels through the catalog tool', () => {
    expect(toPendingMergeSentence(pending, 4)).toBe('Bosun merges #4 (squash fast forward) once its builds pass and its merge checks are met.');
    expect(toPendingMergeSentence({ ...pending, mergeStrategy: null }, 4)).toBe('Bosun merges #4 once its builds pass and its merge checks are met.');
    expect(toCancelPlan('web', 4)).toEqual({ summary: 'Cancel the automatic merge of #4', source: 'button', steps: [{ tool: 'pullRequest.cancelAutoMerge', input: { repo: 'web', pullRequestId: 4 } }] });
  });
});
