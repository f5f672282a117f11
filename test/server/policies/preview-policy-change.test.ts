import { describe, expect, it } from 'vitest';
import { previewPolicyChange, resolvePolicy, type PreviewPullRequest } from '../../../server/policies';

const now = new Date('2026-12-01T12:00:00Z');
const pr = (over: Partial<PreviewPullRequest>): PreviewPullRequest => ({
  repository: 'acme/web', id: 1, title: 'WEB-1 Fix', state: 'OPEN', draft: false, authorUuid: '{a}', sourceBranch: 'feature/x', destinationBranch: 'main', updatedOn: '2026-11-30T12:00:00Z', ...over,
});
const policy = (data: unknown) => resolvePolicy([{ source: 'workspace', data }]).policy;

describe('previewPolicyChange', () => {
  it('lists the PRs a title pattern or target rule would newly block, and nothing for those it does not touch', () => {
    const prs = [pr({ id: 1 }), pr({ id: 2, title: 'fix things' }), pr({ id: 3, destinationBranch: 'develop' }), pr({ id: 4, state: 'MERGED', title: 'x' })];
    const changes = previewPolicyChange(prs, policy({}), policy({ readiness: { titlePattern: '^WEB-\\d+', allowedTargetBranches: ['main'] } }), now);
    expect(changes.map((c) => [c.id, c.before, c.after])).toEqual([
      [2, [], ['title']],
      [3, [], ['target-branch']],
    ]);
  });

  it('says which PRs the stale rule would remind, and whether it would act or only record', () => {
    const prs = [pr({ id: 1, updatedOn: '2026-11-20T12:00:00Z' }), pr({ id: 2 })];
    const dry = previewPolicyChange(prs, policy({}), policy({ stale: { remindAfterDays: 7 } }), now);
    expect(dry.map((c) => [c.id, c.stale, c.staleExecutes])).toEqual([[1, 'remind', false]]);
    const on = previewPolicyChange(prs, policy({}), policy({ stale: { mode: 'on', remindAfterDays: 7 } }), now);
    expect(on.map((c) => [c.id, c.stale, c.staleExecutes])).toEqual([[1, 'remind', true]]);
  });

  it('a freeze starting now shows as pending on every PR into the branch it covers', () => {
    const prs = [pr({ id: 1 }), pr({ id: 2, destinationBranch: 'release/1' })];
    const after = policy({ readiness: { freezeWindows: [{ start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z', branches: ['release/*'] }] } });
    expect(previewPolicyChange(prs, policy({}), after, now).map((c) => [c.id, c.after])).toEqual([[2, ['freeze']]]);
  });
});
