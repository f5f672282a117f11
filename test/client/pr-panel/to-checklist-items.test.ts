import { describe, expect, it } from 'vitest';
import { createApiClient, type FetchLike } from '../../../client/api/create-api-client';
import { toChecklistItems } from '../../../client/pr-panel/to-checklist-items';
import type { ReadinessView } from '../../../server/web/api/policy-views';

const view = (over: Partial<ReadinessView> = {}): ReadinessView => ({
  verdict: 'blocked',
  ready: false,
  bitbucketAllowsMerge: false,
  readinessMode: 'dry-run',
  conditions: [
    { id: 'open', source: 'bitbucket', status: 'pass', enforced: true, message: 'The pull request is open.', unblockedBy: null },
    { id: 'approvals', source: 'merge-check', status: 'fail', enforced: true, message: 'Needs 1 approval, has 0.', unblockedBy: { kind: 'people', userUuids: ['{c}', '{x}'], note: 'Any reviewer other than the author can approve.' } },
    { id: 'policy-builds', source: 'bosun', status: 'pending', enforced: false, message: 'No builds reported yet (needs 1 successful build).', unblockedBy: { kind: 'ci', note: 'No status at all is pending, never green.' } },
    { id: 'title', source: 'bosun', status: 'fail', enforced: false, message: 'The title does not match ^WEB-.', unblockedBy: { kind: 'author', note: 'Edit the title.' } },
  ],
  policyIssues: [],
  asOf: '2026-12-01T00:00:00.000Z',
  ...over,
});
const names = (uuid: string) => (uuid === '{c}' ? 'Carol Reviewer' : 'someone');

describe('toChecklistItems', () => {
  it('puts blockers first, says what blocks and what only advises, and who can lift each', () => {
    const checklist = toChecklistItems(view(), names);
    expect(checklist.verdict).toEqual({ label: 'Blocked', appearance: 'removed' });
    expect(checklist.items.map((i) => [i.id, i.label, i.origin])).toEqual([
      ['approvals', 'Blocks', 'Merge check'],
      ['policy-builds', 'Pending', 'Bosun policy'],
      ['title', 'Advice', 'Bosun policy'],
      ['open', 'OK', 'Bitbucket'],
    ]);
    expect(checklist.items[0]!.who).toBe('Carol Reviewer, someone: Any reviewer other than the author can approve.');
    expect(checklist.items[2]!.who).toBe('The author: Edit the title.');
    expect(checklist.items[3]!.who).toBeNull();
    expect(checklist.note).toBeNull();
  });

  it('notes when Bitbucket would merge although Bosun says not yet', () => {
    const checklist = toChecklistItems(view({ bitbucketAllowsMerge: true }), names);
    expect(checklist.note).toMatch(/^Bitbucket would let this merge now/);
  });

  it('a ready PR is green', () => {
    const checklist = toChecklistItems(view({ verdict: 'ready', ready: true, bitbucketAllowsMerge: true, conditions: [] }), names);
    expect(checklist).toEqual({ verdict: { label: 'Ready to merge', appearance: 'success' }, note: null, items: [] });
  });
});

describe('api.getReadiness', () => {
  it('GETs the readiness route with the session token and resolves to the view', async () => {
    const calls: { url: string; auth: string | undefined }[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, auth: init.headers.Authorization });
      return new Response(JSON.stringify(view()), { status: 200 });
    };
    await expect(createApiClient({ token: 'sess', fetch }).getReadiness('{r}', '7')).resolves.toEqual(view());
    expect(calls).toEqual([{ url: '/api/pr-panel/readiness?repoUuid=%7Br%7D&prId=7', auth: 'Bearer sess' }]);
  });
});
