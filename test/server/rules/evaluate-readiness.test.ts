import { describe, expect, it } from 'vitest';
import { evaluateReadiness, toBranchGlob, type ReadinessInput, type ReadinessOracleOptions } from '../../../server/rules';

const AUTHOR = '{author}';
const base = (over: Partial<ReadinessInput> = {}, pr: Partial<ReadinessInput['pullRequest']> = {}): ReadinessInput => ({
  pullRequest: { state: 'OPEN', draft: false, title: 'PROJ-1 Fix it', authorUuid: AUTHOR, sourceBranch: 'feature/x', destinationBranch: 'main', ...pr },
  participants: [],
  statuses: [{ key: 'ci', state: 'SUCCESSFUL' }],
  tasks: [],
  restrictions: [],
  defaultReviewerUuids: [],
  mainBranch: 'main',
  ...over,
});
const rule = (kind: string, value: number | null = null, pattern = 'main') => ({ kind, value, branch_match_kind: 'glob', pattern });
const always: ReadinessOracleOptions = { enforcement: 'always' };
const approved = (userUuid: string) => ({ userUuid, approved: true, state: 'approved' as const });
const reviewer = (userUuid: string) => ({ userUuid, approved: false, state: null });
const changes = (userUuid: string) => ({ userUuid, displayName: userUuid.slice(1, -1), approved: false, state: 'changes_requested' as const });

describe('evaluateReadiness table', () => {
  it.each<[string, ReadinessInput, ReadinessOracleOptions, { ready: boolean; allows: boolean; verdict: string; blockers: string[] }]>([
    ['no restrictions: ready', base(), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['no restrictions, no statuses: still mergeable, builds not required', base({ statuses: [] }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['declined', base({}, { state: 'DECLINED' }), always, { ready: false, allows: false, verdict: 'blocked', blockers: ['open'] }],
    ['draft', base({}, { draft: true }), always, { ready: false, allows: false, verdict: 'blocked', blockers: ['draft'] }],
    ['source gone', base({ sourceBranchExists: false }), always, { ready: false, allows: false, verdict: 'blocked', blockers: ['branches'] }],
    ['needs 2 approvals, has 1', base({ restrictions: [rule('require_approvals_to_merge', 2)], participants: [approved('{a}'), reviewer('{b}')] }), always, { ready: false, allows: false, verdict: 'waiting', blockers: ['approvals'] }],
    ['needs 2 approvals, has 2', base({ restrictions: [rule('require_approvals_to_merge', 2)], participants: [approved('{a}'), approved('{b}')] }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['approvals value absent counts as 1', base({ restrictions: [rule('require_approvals_to_merge')] }), always, { ready: false, allows: false, verdict: 'waiting', blockers: ['approvals'] }],
    ['approvals value 0 passes', base({ restrictions: [rule('require_approvals_to_merge', 0)] }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['two approval rules: the larger counts', base({ restrictions: [rule('require_approvals_to_merge', 1), rule('require_approvals_to_merge', 2, '*')], participants: [approved('{a}')] }), always, { ready: false, allows: false, verdict: 'waiting', blockers: ['approvals'] }],
    ['restriction on another branch does not apply', base({ restrictions: [rule('require_approvals_to_merge', 2, 'release/*')] }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['branching model development = main branch', base({ restrictions: [{ kind: 'require_approvals_to_merge', value: 1, branch_match_kind: 'branching_model', branch_type: 'development', pattern: '' }] }), always, { ready: false, allows: false, verdict: 'waiting', blockers: ['approvals'] }],
    ['default reviewers: an approval from someone else does not count', base({ restrictions: [rule('require_default_reviewer_approvals_to_merge', 1)], defaultReviewerUuids: ['{d}'], participants: [approved('{a}'), reviewer('{d}')] }), always, { ready: false, allows: false, verdict: 'waiting', blockers: ['default-reviewer-approvals'] }],
    ['default reviewers: approved', base({ restrictions: [rule('require_default_reviewer_approvals_to_merge', 1)], defaultReviewerUuids: ['{d}'], participants: [approved('{d}')] }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['changes requested blocks', base({ restrictions: [rule('require_no_changes_requested')], participants: [changes('{c}')] }), always, { ready: false, allows: false, verdict: 'blocked', blockers: ['changes-requested'] }],
    ['changes requested without the restriction: no condition', base({ participants: [changes('{c}')] }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['open task blocks', base({ restrictions: [rule('require_tasks_to_be_completed')], tasks: [{ state: 'UNRESOLVED' }, { state: 'RESOLVED' }] }), always, { ready: false, allows: false, verdict: 'blocked', blockers: ['tasks'] }],
    ['resolved tasks pass', base({ restrictions: [rule('require_tasks_to_be_completed')], tasks: [{ state: 'RESOLVED' }] }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['builds required, none reported: pending', base({ restrictions: [rule('require_passing_builds_to_merge', 1)], statuses: [] }), always, { ready: false, allows: false, verdict: 'waiting', blockers: ['builds'] }],
    ['builds required, one running: pending', base({ restrictions: [rule('require_passing_builds_to_merge', 1)], statuses: [{ key: 'a', state: 'SUCCESSFUL' }, { key: 'b', state: 'INPROGRESS' }] }), always, { ready: false, allows: false, verdict: 'waiting', blockers: ['builds'] }],
    ['builds required, one failed: blocked', base({ restrictions: [rule('require_passing_builds_to_merge', 1)], statuses: [{ key: 'a', state: 'FAILED' }] }), always, { ready: false, allows: false, verdict: 'blocked', blockers: ['builds'] }],
    ['builds required, stopped counts as broken', base({ restrictions: [rule('require_passing_builds_to_merge', 1)], statuses: [{ key: 'a', state: 'SUCCESSFUL' }, { key: 'b', state: 'STOPPED' }] }), always, { ready: false, allows: false, verdict: 'blocked', blockers: ['builds'] }],
    ['builds required 2, has 1 green', base({ restrictions: [rule('require_passing_builds_to_merge', 2)] }), always, { ready: false, allows: false, verdict: 'waiting', blockers: ['builds'] }],
    ['builds required 0 and none: passes', base({ restrictions: [rule('require_passing_builds_to_merge', 0)], statuses: [] }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['premium without enforce_merge_checks: merge checks only warn', base({ restrictions: [rule('require_approvals_to_merge', 1)] }), { enforcement: 'premium' }, { ready: false, allows: true, verdict: 'waiting', blockers: ['approvals'] }],
    ['premium with enforce_merge_checks: refused', base({ restrictions: [rule('require_approvals_to_merge', 1), rule('enforce_merge_checks', null, '*')] }), { enforcement: 'premium' }, { ready: false, allows: false, verdict: 'waiting', blockers: ['approvals'] }],
    ['premium: draft is refused regardless', base({}, { draft: true }), { enforcement: 'premium' }, { ready: false, allows: false, verdict: 'blocked', blockers: ['draft'] }],
    ['restrict_merges: merger not listed', base({ restrictions: [{ ...rule('restrict_merges'), userUuids: ['{a}'] }], mergerUuid: '{m}' }), { enforcement: 'premium' }, { ready: false, allows: false, verdict: 'blocked', blockers: ['restrict-merges'] }],
    ['restrict_merges: merger listed', base({ restrictions: [{ ...rule('restrict_merges'), userUuids: ['{m}'] }], mergerUuid: '{m}' }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['restrict_merges: merger in a listed group', base({ restrictions: [{ ...rule('restrict_merges'), groupSlugs: ['leads'] }], mergerUuid: '{m}', mergerGroupSlugs: ['leads'] }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['fast-forward onto a moved destination', base({ mergeStrategy: 'fast_forward', destinationAhead: true }), always, { ready: false, allows: false, verdict: 'blocked', blockers: ['fast-forward'] }],
    ['merge commit onto a moved destination is fine', base({ mergeStrategy: 'merge_commit', destinationAhead: true }), always, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['conflicts when known', base({ conflicted: true }), always, { ready: false, allows: false, verdict: 'blocked', blockers: ['conflicts'] }],
    ['policy: title pattern', base({}, { title: 'fix it' }), { enforcement: 'always', policy: { titlePattern: '^[A-Z]+-\\d+ ' } }, { ready: false, allows: true, verdict: 'blocked', blockers: ['title'] }],
    ['policy: target branch not allowed', base({}, { destinationBranch: 'develop' }), { enforcement: 'always', policy: { allowedTargetBranches: ['main', 'release/*'] } }, { ready: false, allows: true, verdict: 'blocked', blockers: ['target-branch'] }],
    ['policy: builds required by Bosun, none reported', base({ statuses: [] }), { enforcement: 'always', policy: { requireBuilds: true } }, { ready: false, allows: true, verdict: 'waiting', blockers: ['policy-builds'] }],
    ['policy: freeze on', base(), { enforcement: 'always', now: new Date('2026-12-24T12:00:00Z'), policy: { freezeWindows: [{ start: '2026-12-24T00:00:00Z', end: '2026-12-27T00:00:00Z', reason: 'holidays' }] } }, { ready: false, allows: true, verdict: 'waiting', blockers: ['freeze'] }],
    ['policy: freeze over (end is exclusive)', base(), { enforcement: 'always', now: new Date('2026-12-27T00:00:00Z'), policy: { freezeWindows: [{ start: '2026-12-24T00:00:00Z', end: '2026-12-27T00:00:00Z' }] } }, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['policy: freeze on another branch', base(), { enforcement: 'always', now: new Date('2026-12-24T12:00:00Z'), policy: { freezeWindows: [{ start: '2026-12-24T00:00:00Z', end: '2026-12-27T00:00:00Z', branches: ['release/*'] }] } }, { ready: true, allows: true, verdict: 'ready', blockers: [] }],
    ['many blockers at once, in checklist order', base({ restrictions: [rule('require_approvals_to_merge', 1), rule('require_tasks_to_be_completed'), rule('require_passing_builds_to_merge', 1)], tasks: [{ state: 'UNRESOLVED' }], statuses: [] }, { draft: true }), always, { ready: false, allows: false, verdict: 'blocked', blockers: ['draft', 'approvals', 'tasks', 'builds'] }],
  ])('%s', (_name, input, options, want) => {
    const r = evaluateReadiness(input, options);
    expect({ ready: r.ready, allows: r.bitbucketAllowsMerge, verdict: r.verdict, blockers: r.blockers.map((b) => b.id) }).toEqual(want);
  });
});

describe('who can unblock', () => {
  it('approvals: the reviewers who have not approved, never the author', () => {
    const r = evaluateReadiness(base({ restrictions: [rule('require_approvals_to_merge', 2)], participants: [approved('{a}'), reviewer('{b}'), reviewer(AUTHOR)] }), always);
    expect(r.blockers[0]!.unblockedBy).toMatchObject({ kind: 'people', userUuids: ['{b}'] });
  });
  it('default reviewers: the default reviewers still to approve, minus the author', () => {
    const r = evaluateReadiness(base({ restrictions: [rule('require_default_reviewer_approvals_to_merge', 2)], defaultReviewerUuids: ['{d1}', '{d2}', AUTHOR], participants: [approved('{d1}')] }), always);
    expect(r.blockers[0]!.unblockedBy).toMatchObject({ kind: 'people', userUuids: ['{d2}'] });
    expect(r.blockers[0]!.message).toBe('Needs 2 approvals from default reviewers, has 1.');
  });
  it('changes requested: the requesters, named', () => {
    const r = evaluateReadiness(base({ restrictions: [rule('require_no_changes_requested')], participants: [changes('{carol}')] }), always);
    expect(r.blockers[0]).toMatchObject({ message: 'Changes requested by carol.', unblockedBy: { kind: 'people', userUuids: ['{carol}'] } });
  });
  it('builds: CI while pending, the author once failed; a freeze: the time it ends', () => {
    const pending = evaluateReadiness(base({ restrictions: [rule('require_passing_builds_to_merge')], statuses: [] }), always);
    expect(pending.blockers[0]).toMatchObject({ status: 'pending', unblockedBy: { kind: 'ci' } });
    const failed = evaluateReadiness(base({ restrictions: [rule('require_passing_builds_to_merge')], statuses: [{ key: 'ci', name: 'Unit', state: 'FAILED' }] }), always);
    expect(failed.blockers[0]).toMatchObject({ status: 'fail', message: 'Builds failed or stopped: Unit.', unblockedBy: { kind: 'author' } });
    const frozen = evaluateReadiness(base(), { enforcement: 'always', now: new Date('2026-12-24T12:00:00Z'), policy: { freezeWindows: [{ start: '2026-12-24T00:00:00Z', end: '2026-12-27T00:00:00Z' }, { start: '2026-12-20T00:00:00Z', end: '2026-12-28T00:00:00Z' }] } });
    expect(frozen.blockers[0]!.unblockedBy).toEqual({ kind: 'time', until: '2026-12-28T00:00:00.000Z' });
  });
  it('an unreadable title pattern fails instead of passing', () => {
    const r = evaluateReadiness(base(), { enforcement: 'always', policy: { titlePattern: '(' } });
    expect(r.blockers.map((b) => b.id)).toEqual(['title']);
  });
});

describe('toBranchGlob', () => {
  it.each([
    ['release/*', 'release/1.0/hotfix', true],
    ['release/?.0', 'release/1.0', true],
    ['release/?.0', 'release/10.0', false],
    ['ma*', 'main', true],
    ['main', 'main2', false],
    ['v1.0', 'v1x0', false],
  ])('%s vs %s → %s', (glob, branch, want) => {
    expect(toBranchGlob(glob).test(branch)).toBe(want);
  });
});

describe("Bosun's own statuses", () => {
  const opts: ReadinessOracleOptions = { enforcement: 'always', ownStatusKeys: ['bosun/ready'] };
  const required = [rule('require_passing_builds_to_merge', 1)];
  it('do not make the verdict wait on itself, but Bitbucket counts them', () => {
    const r = evaluateReadiness(base({ restrictions: required, statuses: [{ key: 'ci', state: 'SUCCESSFUL' }, { key: 'bosun/ready', state: 'INPROGRESS' }] }), opts);
    expect(r.ready).toBe(true);
    expect(r.bitbucketAllowsMerge).toBe(false);
  });
  it('once green, both agree', () => {
    const r = evaluateReadiness(base({ restrictions: required, statuses: [{ key: 'ci', state: 'SUCCESSFUL' }, { key: 'bosun/ready', state: 'SUCCESSFUL' }] }), opts);
    expect([r.ready, r.bitbucketAllowsMerge]).toEqual([true, true]);
  });
  it('alone they are no build: still pending', () => {
    const r = evaluateReadiness(base({ restrictions: required, statuses: [{ key: 'bosun/ready', state: 'SUCCESSFUL' }] }), opts);
    expect(r.blockers.map((b) => [b.id, b.status])).toEqual([['builds', 'pending']]);
  });
});
