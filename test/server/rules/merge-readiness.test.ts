import { describe, expect, it } from 'vitest';
import {
  isReadyToMerge,
  isRestrictionForBranch,
  type ReadinessParticipant,
  type ReadinessRestriction,
  type ReadinessStatus,
  type ReadinessTask,
} from '../../../server/rules';

const pr = (over: { state?: string; draft?: boolean; branch?: string } = {}) => ({
  state: over.state ?? 'OPEN',
  draft: over.draft ?? false,
  destination: { branch: { name: over.branch ?? 'main' } },
});
const green: ReadinessStatus[] = [{ key: 'build', name: 'Build #1', state: 'SUCCESSFUL' }];
const rule = (kind: string, value?: number, pattern = 'main'): ReadinessRestriction => ({ kind, value: value ?? null, branch_match_kind: 'glob', pattern });
const approved = (name: string): ReadinessParticipant => ({ approved: true, state: 'approved', user: { display_name: name } });
const changes = (name: string): ReadinessParticipant => ({ approved: false, state: 'changes_requested', user: { display_name: name } });
const open: ReadinessTask = { state: 'UNRESOLVED' };
const done: ReadinessTask = { state: 'RESOLVED' };

type Case = [string, Parameters<typeof isReadyToMerge>, 'ready' | 'waiting' | 'blocked', Record<string, string>];

const cases: Case[] = [
  ['green, no restrictions', [pr(), green, [], [], []], 'ready', { builds: 'pass', approvals: 'not-used', changesRequested: 'not-used', tasks: 'not-used' }],
  ['no statuses is not green', [pr(), [], [], [], []], 'waiting', { builds: 'fail' }],
  ['a build in progress waits', [pr(), [...green, { key: 'e2e', state: 'INPROGRESS' }], [], [], []], 'waiting', { builds: 'fail' }],
  ['a failed build blocks', [pr(), [...green, { key: 'lint', state: 'FAILED' }], [], [], []], 'blocked', { builds: 'fail' }],
  ['a stopped build blocks', [pr(), [{ key: 'p', state: 'STOPPED' }], [], [], []], 'blocked', { builds: 'fail' }],
  ['draft blocks', [pr({ draft: true }), green, [], [], []], 'blocked', { draft: 'fail' }],
  ['merged is not mergeable', [pr({ state: 'MERGED' }), green, [], [], []], 'blocked', { open: 'fail' }],
  ['approvals required and missing', [pr(), green, [rule('require_approvals_to_merge', 2)], [approved('Carol')], []], 'waiting', { approvals: 'fail' }],
  ['approvals required and given', [pr(), green, [rule('require_approvals_to_merge', 2)], [approved('Carol'), approved('Bob')], []], 'ready', { approvals: 'pass' }],
  ['approval rule on another branch is not used', [pr(), green, [rule('require_approvals_to_merge', 2, 'release/*')], [], []], 'ready', { approvals: 'not-used' }],
  ['glob rule matches', [pr({ branch: 'release/1.2' }), green, [rule('require_approvals_to_merge', 1, 'release/*')], [], []], 'waiting', { approvals: 'fail' }],
  ['changes requested with the rule blocks', [pr(), green, [rule('require_no_changes_requested')], [changes('Alice')], []], 'blocked', { changesRequested: 'fail' }],
  ['changes requested without the rule is not used', [pr(), green, [], [changes('Alice')], []], 'ready', { changesRequested: 'not-used' }],
  ['open tasks with the rule wait', [pr(), green, [rule('require_tasks_to_be_completed')], [], [open, done]], 'waiting', { tasks: 'fail' }],
  ['resolved tasks pass', [pr(), green, [rule('require_tasks_to_be_completed')], [], [done]], 'ready', { tasks: 'pass' }],
  ['passing builds rule counts successes', [pr(), green, [rule('require_passing_builds_to_merge', 2)], [], []], 'waiting', { builds: 'fail' }],
];

describe('isReadyToMerge', () => {
  it.each(cases)('%s', (_name, args, verdict, results) => {
    const readiness = isReadyToMerge(...args);
    expect(readiness.verdict).toBe(verdict);
    expect(readiness.ready).toBe(verdict === 'ready');
    for (const [check, result] of Object.entries(results)) {
      expect(readiness.checks.find((c) => c.check === check)?.result, check).toBe(result);
    }
    expect(readiness.reasons).toHaveLength(readiness.checks.filter((c) => c.result === 'fail').length);
  });

  it('explains each failing check in words', () => {
    const readiness = isReadyToMerge(
      pr(),
      [{ key: 'lint', name: 'Lint', state: 'FAILED' }],
      [rule('require_approvals_to_merge', 2), rule('require_no_changes_requested'), rule('require_tasks_to_be_completed')],
      [approved('Carol'), changes('Alice')],
      [open],
    );
    expect(readiness.reasons).toEqual([
      'Builds failed or stopped: Lint.',
      'Needs 2 approvals, has 1.',
      'Changes requested by Alice.',
      '1 task still open.',
    ]);
  });
});

describe('isRestrictionForBranch', () => {
  it.each([
    [{ branch_match_kind: 'glob', pattern: 'main' }, 'main', true],
    [{ branch_match_kind: 'glob', pattern: 'release/*' }, 'release/1/2', true],
    [{ branch_match_kind: 'glob', pattern: 'release/*' }, 'main', false],
    [{ branch_match_kind: 'glob', pattern: 'a.b' }, 'axb', false],
    // A name without wildcards is compared as it is: the whole name, its regex characters literal.
    [{ branch_match_kind: 'glob', pattern: 'v1.0+rc(2)' }, 'v1.0+rc(2)', true],
    [{ branch_match_kind: 'glob', pattern: 'main' }, 'main-old', false],
    [{ branch_match_kind: 'glob', pattern: 'main' }, 'Main', false],
    [{ branch_match_kind: 'branching_model', branch_type: 'development' }, 'main', true],
    [{ branch_match_kind: 'branching_model', branch_type: 'feature' }, 'feature/x', true],
    [{ branch_match_kind: 'branching_model', branch_type: 'production' }, 'main', false],
  ])('%o on %s → %s', (restriction, branch, expected) => {
    expect(isRestrictionForBranch(restriction, branch, 'main')).toBe(expected);
  });
});
