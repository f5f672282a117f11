import { isRestrictionForBranch, type RestrictionScope } from './branch-matches';

export interface ReadinessPullRequest {
  state: string;
  draft?: boolean | undefined;
  destination: { branch: { name: string } };
}

export interface ReadinessStatus {
  key: string;
  state: 'INPROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'STOPPED';
  name?: string | null | undefined;
}

export interface ReadinessRestriction extends RestrictionScope {
  kind: string;
  value?: number | null | undefined;
}

export interface ReadinessParticipant {
  approved: boolean;
  state?: 'approved' | 'changes_requested' | null | undefined;
  user?: { display_name?: string | undefined } | undefined;
}

export interface ReadinessTask {
  state: 'RESOLVED' | 'UNRESOLVED';
}

export type CheckResult = 'pass' | 'fail' | 'not-used';
export type ReadinessCheckName = 'open' | 'draft' | 'builds' | 'approvals' | 'changesRequested' | 'tasks';

export interface ReadinessCheck {
  check: ReadinessCheckName;
  result: CheckResult;
  reason: string;
  /** A failing check that waiting may fix (a build still running, an approval to come) versus one that needs a person. */
  blocking: boolean;
}

export interface MergeReadiness {
  ready: boolean;
  /** ready; waiting (may become ready by itself); blocked (needs someone to act). */
  verdict: 'ready' | 'waiting' | 'blocked';
  checks: ReadinessCheck[];
  /** The reasons of the failing checks, for a comment. */
  reasons: string[];
}

export interface ReadinessOptions {
  /** Used for `branching_model` restrictions of type development. */
  mainBranch?: string | null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Whether Bosun may merge a pull request now ("merge when green"). Pure: every input is data the
 * caller fetched. Builds always count (no status at all is pending, never green: REFERENCE.md §7);
 * approvals, changes requested and tasks count only when a branch restriction on the destination
 * asks for them, otherwise the check is `not-used`. Bitbucket has no "is mergeable" API, so this
 * mirrors its merge checks:
 * https://support.atlassian.com/bitbucket-cloud/docs/suggest-or-require-checks-before-a-merge/
 */
export function isReadyToMerge(
  pr: ReadinessPullRequest,
  statuses: readonly ReadinessStatus[],
  restrictions: readonly ReadinessRestriction[],
  participants: readonly ReadinessParticipant[],
  tasks: readonly ReadinessTask[],
  options: ReadinessOptions = {},
): MergeReadiness {
  const branch = pr.destination.branch.name;
  const applying = restrictions.filter((r) => isRestrictionForBranch(r, branch, options.mainBranch ?? null));
  const restriction = (kind: string) => applying.find((r) => r.kind === kind);
  const checks: ReadinessCheck[] = [];

  checks.push(
    pr.state === 'OPEN'
      ? { check: 'open', result: 'pass', reason: 'The pull request is open.', blocking: false }
      : { check: 'open', result: 'fail', reason: `The pull request is ${pr.state.toLowerCase()}.`, blocking: true },
  );
  checks.push(
    pr.draft
      ? { check: 'draft', result: 'fail', reason: 'The pull request is a draft.', blocking: true }
      : { check: 'draft', result: 'pass', reason: 'The pull request is not a draft.', blocking: false },
  );
  checks.push(toBuildsCheck(statuses, restriction('require_passing_builds_to_merge')?.value ?? 1));

  const approvalsRule = restriction('require_approvals_to_merge');
  if (!approvalsRule) {
    checks.push({ check: 'approvals', result: 'not-used', reason: 'No approvals are required.', blocking: false });
  } else {
    const needed = approvalsRule.value ?? 1;
    const have = participants.filter((p) => p.approved).length;
    checks.push(
      have >= needed
        ? { check: 'approvals', result: 'pass', reason: `Has ${plural(have, 'approval')} (needs ${needed}).`, blocking: false }
        : { check: 'approvals', result: 'fail', reason: `Needs ${plural(needed, 'approval')}, has ${have}.`, blocking: false },
    );
  }

  if (!restriction('require_no_changes_requested')) {
    checks.push({ check: 'changesRequested', result: 'not-used', reason: 'Requested changes do not block merging.', blocking: false });
  } else {
    const requesters = participants.filter((p) => p.state === 'changes_requested');
    checks.push(
      requesters.length === 0
        ? { check: 'changesRequested', result: 'pass', reason: 'Nobody requested changes.', blocking: false }
        : {
            check: 'changesRequested',
            result: 'fail',
            reason: `Changes requested by ${requesters.map((p) => p.user?.display_name ?? 'a reviewer').join(', ')}.`,
            blocking: true,
          },
    );
  }

  if (!restriction('require_tasks_to_be_completed')) {
    checks.push({ check: 'tasks', result: 'not-used', reason: 'Open tasks do not block merging.', blocking: false });
  } else {
    const open = tasks.filter((t) => t.state === 'UNRESOLVED').length;
    checks.push(
      open === 0
        ? { check: 'tasks', result: 'pass', reason: 'All tasks are resolved.', blocking: false }
        : { check: 'tasks', result: 'fail', reason: `${plural(open, 'task')} still open.`, blocking: false },
    );
  }

  const failing = checks.filter((c) => c.result === 'fail');
  const verdict = failing.length === 0 ? 'ready' : failing.some((c) => c.blocking) ? 'blocked' : 'waiting';
  return { ready: verdict === 'ready', verdict, checks, reasons: failing.map((c) => c.reason) };
}

function toBuildsCheck(statuses: readonly ReadinessStatus[], needed: number): ReadinessCheck {
  if (statuses.length === 0) return { check: 'builds', result: 'fail', reason: 'No builds reported yet.', blocking: false };
  const named = (state: ReadinessStatus['state']) =>
    statuses.filter((s) => s.state === state).map((s) => s.name ?? s.key);
  const broken = [...named('FAILED'), ...named('STOPPED')];
  if (broken.length > 0) return { check: 'builds', result: 'fail', reason: `Builds failed or stopped: ${broken.join(', ')}.`, blocking: true };
  const running = named('INPROGRESS');
  if (running.length > 0) return { check: 'builds', result: 'fail', reason: `Builds still running: ${running.join(', ')}.`, blocking: false };
  const green = named('SUCCESSFUL').length;
  if (green < needed) return { check: 'builds', result: 'fail', reason: `Needs ${plural(needed, 'successful build')}, has ${green}.`, blocking: false };
  return { check: 'builds', result: 'pass', reason: `${plural(green, 'build')} passed.`, blocking: false };
}
