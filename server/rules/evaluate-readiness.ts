import type { BuildStatusState } from './aggregate-build-state';
import { isRestrictionForBranch, type RestrictionScope } from './branch-matches';

/** A branch restriction as Bosun reads it (`GET …/branch-restrictions`), users by uuid, groups by slug. */
export interface OracleRestriction extends RestrictionScope {
  kind: string;
  value?: number | null | undefined;
  userUuids?: readonly string[] | undefined;
  groupSlugs?: readonly string[] | undefined;
}

export interface OracleParticipant {
  userUuid: string;
  displayName?: string | undefined;
  approved: boolean;
  state: 'approved' | 'changes_requested' | null;
}

export interface OracleStatus {
  key: string;
  name?: string | null | undefined;
  state: BuildStatusState;
}

export type OracleMergeStrategy = 'merge_commit' | 'squash' | 'fast_forward' | 'squash_fast_forward' | 'rebase_fast_forward' | 'rebase_merge';

/** A freeze window: merges into matching branches wait until `end` (ISO instants, half-open [start, end)). */
export interface FreezeWindow {
  start: string;
  end: string;
  /** Branch globs the freeze covers; empty or absent: every branch. */
  branches?: readonly string[] | undefined;
  reason?: string | undefined;
}

/** Bosun's own merge policy (policies/ validates it; here it is plain data). */
export interface ReadinessPolicy {
  /** A regular expression the title must match (JavaScript syntax, no flags). */
  titlePattern?: string | undefined;
  /** Destination branch globs a PR may target; absent: any. */
  allowedTargetBranches?: readonly string[] | undefined;
  freezeWindows?: readonly FreezeWindow[] | undefined;
  /** Builds count even without a `require_passing_builds_to_merge` restriction (as "merge when green" does). */
  requireBuilds?: boolean | undefined;
}

export interface ReadinessInput {
  pullRequest: {
    state: string;
    draft: boolean;
    title: string;
    authorUuid: string;
    sourceBranch: string;
    destinationBranch: string;
  };
  participants: readonly OracleParticipant[];
  /** Statuses on the source commit (the PR's statuses). */
  statuses: readonly OracleStatus[];
  tasks: readonly { state: 'RESOLVED' | 'UNRESOLVED' }[];
  restrictions: readonly OracleRestriction[];
  defaultReviewerUuids: readonly string[];
  mainBranch: string | null;
  /** Omitted: assumed to exist. */
  sourceBranchExists?: boolean | undefined;
  destinationBranchExists?: boolean | undefined;
  /** Does the destination contain commits the source lacks? null/omitted: unknown (only fast-forward strategies care). */
  destinationAhead?: boolean | null | undefined;
  /** Merge conflicts, when something could tell (e.g. the diff marks them); null/omitted: not detectable. */
  conflicted?: boolean | null | undefined;
  /** Who would press merge: `restrict_merges` depends on it. null/omitted: not checked. */
  mergerUuid?: string | null | undefined;
  /** Groups the merger belongs to (slugs), for `restrict_merges` by group. */
  mergerGroupSlugs?: readonly string[] | undefined;
  mergeStrategy?: OracleMergeStrategy | undefined;
}

export interface ReadinessOracleOptions {
  /**
   * `premium` (Bitbucket's real behaviour): merge checks refuse a merge only where an
   * `enforce_merge_checks` restriction matches the destination, elsewhere they only warn.
   * `always`: every failing merge check refuses (the sandbox's default).
   */
  enforcement: 'always' | 'premium';
  policy?: ReadinessPolicy | undefined;
  now?: Date | undefined;
  /**
   * Status keys Bosun posts itself (`bosun/ready`…): they never make Bosun's own verdict wait on
   * itself, but Bitbucket counts them like any build, so `bitbucketAllowsMerge` still does.
   */
  ownStatusKeys?: readonly string[] | undefined;
}

export type ConditionId =
  | 'open'
  | 'draft'
  | 'branches'
  | 'restrict-merges'
  | 'fast-forward'
  | 'conflicts'
  | 'approvals'
  | 'default-reviewer-approvals'
  | 'changes-requested'
  | 'tasks'
  | 'builds'
  | 'policy-builds'
  | 'title'
  | 'target-branch'
  | 'freeze';

/** Who can lift a blocker. */
export type Unblocker =
  | { kind: 'people'; userUuids: string[]; note: string }
  | { kind: 'author'; note: string }
  | { kind: 'ci'; note: string }
  | { kind: 'time'; until: string }
  | { kind: 'admin'; note: string }
  | { kind: 'nobody'; note: string };

export interface ReadinessCondition {
  id: ConditionId;
  /** Where the rule comes from: Bitbucket itself, a merge check from a branch restriction, or Bosun's policy. */
  source: 'bitbucket' | 'merge-check' | 'bosun';
  /** pending: may pass without anyone acting (a build running, none reported yet, a freeze ending). */
  status: 'pass' | 'fail' | 'pending';
  /** Would Bitbucket refuse the merge while this is not passing? */
  enforced: boolean;
  message: string;
  unblockedBy: Unblocker | null;
}

export interface Readiness {
  /** Every applicable condition passes (Bitbucket's and Bosun's). */
  ready: boolean;
  verdict: 'ready' | 'waiting' | 'blocked';
  /** Would Bitbucket accept `POST …/merge` now (only conditions it enforces count)? */
  bitbucketAllowsMerge: boolean;
  conditions: ReadinessCondition[];
  /** The conditions not passing, in checklist order. */
  blockers: ReadinessCondition[];
}

const FF_ONLY: ReadonlySet<OracleMergeStrategy> = new Set(['fast_forward', 'squash_fast_forward']);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Everything that keeps a pull request from merging, and who can lift each. Pure: every input is
 * data the caller read (the PR, its participants, statuses and tasks, the repository's branch
 * restrictions and default reviewers). Bitbucket has no "is mergeable" API (REFERENCE.md §7), so
 * this models its merge checks; the sandbox's `sandbox/actions/merge-checks.ts` models the same
 * rules and `test/server/rules/readiness-agreement.test.ts` holds the two together.
 * https://support.atlassian.com/bitbucket-cloud/docs/suggest-or-require-checks-before-a-merge/
 */
export function evaluateReadiness(input: ReadinessInput, options: ReadinessOracleOptions): Readiness {
  const pr = input.pullRequest;
  const dest = pr.destinationBranch;
  const applying = input.restrictions.filter((r) => isRestrictionForBranch(r, dest, input.mainBranch));
  const maxValue = (kind: string): number | null => {
    const found = applying.filter((r) => r.kind === kind);
    return found.length === 0 ? null : Math.max(...found.map((r) => r.value ?? 1));
  };
  const checksEnforced = options.enforcement === 'always' || applying.some((r) => r.kind === 'enforce_merge_checks');
  const conditions: ReadinessCondition[] = [];
  const add = (c: ReadinessCondition) => conditions.push(c);
  const author = (note: string): Unblocker => ({ kind: 'author', note });

  add(
    pr.state === 'OPEN'
      ? { id: 'open', source: 'bitbucket', status: 'pass', enforced: true, message: 'The pull request is open.', unblockedBy: null }
      : { id: 'open', source: 'bitbucket', status: 'fail', enforced: true, message: `The pull request is ${pr.state.toLowerCase()}.`, unblockedBy: { kind: 'nobody', note: 'A closed pull request cannot be reopened.' } },
  );
  add(
    pr.draft
      ? { id: 'draft', source: 'bitbucket', status: 'fail', enforced: true, message: 'The pull request is a draft.', unblockedBy: author('Mark it ready for review.') }
      : { id: 'draft', source: 'bitbucket', status: 'pass', enforced: true, message: 'The pull request is not a draft.', unblockedBy: null },
  );
  const missing = [
    ...(input.sourceBranchExists === false ? [pr.sourceBranch] : []),
    ...(input.destinationBranchExists === false ? [dest] : []),
  ];
  add(
    missing.length === 0
      ? { id: 'branches', source: 'bitbucket', status: 'pass', enforced: true, message: 'Both branches exist.', unblockedBy: null }
      : { id: 'branches', source: 'bitbucket', status: 'fail', enforced: true, message: `Branch ${missing.join(' and ')} no longer exists.`, unblockedBy: author('Restore the branch.') },
  );

  const mergers = applying.filter((r) => r.kind === 'restrict_merges');
  if (mergers.length > 0 && input.mergerUuid) {
    const merger = input.mergerUuid;
    const groups = new Set(input.mergerGroupSlugs ?? []);
    const allowedBy = (r: OracleRestriction) => (r.userUuids ?? []).includes(merger) || (r.groupSlugs ?? []).some((g) => groups.has(g));
    const denied = mergers.filter((r) => !allowedBy(r));
    const listed = [...new Set(mergers.flatMap((r) => [...(r.userUuids ?? [])]))];
    add(
      denied.length === 0
        ? { id: 'restrict-merges', source: 'bitbucket', status: 'pass', enforced: true, message: `Merging into ${dest} is allowed for this person.`, unblockedBy: null }
        : { id: 'restrict-merges', source: 'bitbucket', status: 'fail', enforced: true, message: `Only listed people may merge into ${dest}.`, unblockedBy: { kind: 'people', userUuids: listed, note: 'One of them can merge.' } },
    );
  }

  if (input.mergeStrategy && FF_ONLY.has(input.mergeStrategy) && input.destinationAhead !== null && input.destinationAhead !== undefined) {
    add(
      input.destinationAhead
        ? { id: 'fast-forward', source: 'bitbucket', status: 'fail', enforced: true, message: `${dest} has commits the source lacks, so ${input.mergeStrategy} is impossible.`, unblockedBy: author('Rebase onto the destination or pick another strategy.') }
        : { id: 'fast-forward', source: 'bitbucket', status: 'pass', enforced: true, message: 'A fast-forward is possible.', unblockedBy: null },
    );
  }
  if (input.conflicted !== null && input.conflicted !== undefined) {
    add(
      input.conflicted
        ? { id: 'conflicts', source: 'bitbucket', status: 'fail', enforced: true, message: 'The pull request has merge conflicts.', unblockedBy: author('Resolve the conflicts and push.') }
        : { id: 'conflicts', source: 'bitbucket', status: 'pass', enforced: true, message: 'No merge conflicts.', unblockedBy: null },
    );
  }

  const approvers = input.participants.filter((p) => p.approved);
  const notYet = (pool: readonly string[]) => pool.filter((u) => u !== pr.authorUuid && !approvers.some((a) => a.userUuid === u));
  const neededApprovals = maxValue('require_approvals_to_merge');
  if (neededApprovals !== null) {
    const have = approvers.length;
    const reviewers = notYet(input.participants.map((p) => p.userUuid));
    add(
      have >= neededApprovals
        ? { id: 'approvals', source: 'merge-check', status: 'pass', enforced: checksEnforced, message: `Has ${plural(have, 'approval')} (needs ${neededApprovals}).`, unblockedBy: null }
        : { id: 'approvals', source: 'merge-check', status: 'fail', enforced: checksEnforced, message: `Needs ${plural(neededApprovals, 'approval')}, has ${have}.`, unblockedBy: { kind: 'people', userUuids: reviewers, note: 'Any reviewer other than the author can approve.' } },
    );
  }
  const neededDefault = maxValue('require_default_reviewer_approvals_to_merge');
  if (neededDefault !== null) {
    const defaults = new Set(input.defaultReviewerUuids);
    const have = approvers.filter((a) => defaults.has(a.userUuid)).length;
    add(
      have >= neededDefault
        ? { id: 'default-reviewer-approvals', source: 'merge-check', status: 'pass', enforced: checksEnforced, message: `Has ${plural(have, 'default reviewer approval')} (needs ${neededDefault}).`, unblockedBy: null }
        : { id: 'default-reviewer-approvals', source: 'merge-check', status: 'fail', enforced: checksEnforced, message: `Needs ${plural(neededDefault, 'approval')} from default reviewers, has ${have}.`, unblockedBy: { kind: 'people', userUuids: notYet(input.defaultReviewerUuids), note: 'A default reviewer can approve.' } },
    );
  }
  if (maxValue('require_no_changes_requested') !== null) {
    const requesters = input.participants.filter((p) => p.state === 'changes_requested');
    add(
      requesters.length === 0
        ? { id: 'changes-requested', source: 'merge-check', status: 'pass', enforced: checksEnforced, message: 'Nobody requested changes.', unblockedBy: null }
        : { id: 'changes-requested', source: 'merge-check', status: 'fail', enforced: checksEnforced, message: `Changes requested by ${requesters.map((p) => p.displayName ?? p.userUuid).join(', ')}.`, unblockedBy: { kind: 'people', userUuids: requesters.map((p) => p.userUuid), note: 'They can withdraw the request once satisfied.' } },
    );
  }
  if (maxValue('require_tasks_to_be_completed') !== null) {
    const open = input.tasks.filter((t) => t.state === 'UNRESOLVED').length;
    add(
      open === 0
        ? { id: 'tasks', source: 'merge-check', status: 'pass', enforced: checksEnforced, message: 'All tasks are resolved.', unblockedBy: null }
        : { id: 'tasks', source: 'merge-check', status: 'fail', enforced: checksEnforced, message: `${plural(open, 'task')} still open.`, unblockedBy: author('Resolve the open tasks.') },
    );
  }
  const own = new Set(options.ownStatusKeys ?? []);
  const others = input.statuses.filter((s) => !own.has(s.key));
  const neededBuilds = maxValue('require_passing_builds_to_merge');
  // Bitbucket counts Bosun's own statuses too: a merge it would refuse only because of them.
  const refusedForOwnStatus = neededBuilds !== null && checksEnforced && others.length !== input.statuses.length && toBuildsCondition(input.statuses, neededBuilds).status !== 'pass';
  if (neededBuilds !== null) add({ ...toBuildsCondition(others, neededBuilds), id: 'builds', source: 'merge-check', enforced: checksEnforced });
  else if (options.policy?.requireBuilds) add({ ...toBuildsCondition(others, 1), id: 'policy-builds', source: 'bosun', enforced: false });

  addPolicyConditions(add, input, options);

  const blockers = conditions.filter((c) => c.status !== 'pass');
  const verdict = blockers.length === 0 ? 'ready' : blockers.some((c) => c.status === 'fail' && !isWaiting(c)) ? 'blocked' : 'waiting';
  return {
    ready: blockers.length === 0,
    verdict,
    bitbucketAllowsMerge: !refusedForOwnStatus && !blockers.some((c) => c.enforced),
    conditions,
    blockers,
  };
}

/** Approvals still to come are waiting, not blocked: nobody has said no. */
function isWaiting(c: ReadinessCondition): boolean {
  return c.id === 'approvals' || c.id === 'default-reviewer-approvals';
}

function toBuildsCondition(statuses: readonly OracleStatus[], needed: number): Pick<ReadinessCondition, 'status' | 'message' | 'unblockedBy'> {
  const named = (state: BuildStatusState) => statuses.filter((s) => s.state === state).map((s) => s.name ?? s.key);
  const green = named('SUCCESSFUL').length;
  const broken = [...named('FAILED'), ...named('STOPPED')];
  const running = named('INPROGRESS');
  // Bitbucket: "a minimum number of successful builds … and no failed or in-progress builds" (openapi.json, branchrestriction.value).
  if (broken.length > 0) return { status: 'fail', message: `Builds failed or stopped: ${broken.join(', ')}.`, unblockedBy: { kind: 'author', note: 'Fix the build and push, or re-run it.' } };
  if (running.length > 0) return { status: 'pending', message: `Builds still running: ${running.join(', ')}.`, unblockedBy: { kind: 'ci', note: 'Wait for the builds to finish.' } };
  if (green < needed) {
    return statuses.length === 0
      ? { status: 'pending', message: `No builds reported yet (needs ${plural(needed, 'successful build')}).`, unblockedBy: { kind: 'ci', note: 'No status at all is pending, never green.' } }
      : { status: 'pending', message: `Needs ${plural(needed, 'successful build')}, has ${green}.`, unblockedBy: { kind: 'ci', note: 'More builds must report success.' } };
  }
  return { status: 'pass', message: `${plural(green, 'build')} passed.`, unblockedBy: null };
}

function addPolicyConditions(add: (c: ReadinessCondition) => void, input: ReadinessInput, options: ReadinessOracleOptions): void {
  const policy = options.policy;
  if (!policy) return;
  const pr = input.pullRequest;
  const bosun = { source: 'bosun' as const, enforced: false };
  if (policy.titlePattern !== undefined) {
    const ok = safeTest(policy.titlePattern, pr.title);
    add(
      ok
        ? { ...bosun, id: 'title', status: 'pass', message: 'The title follows the pattern.', unblockedBy: null }
        : { ...bosun, id: 'title', status: 'fail', message: `The title does not match ${policy.titlePattern}.`, unblockedBy: { kind: 'author', note: 'Edit the title.' } },
    );
  }
  if (policy.allowedTargetBranches !== undefined) {
    const ok = policy.allowedTargetBranches.some((g) => isRestrictionForBranch({ branch_match_kind: 'glob', pattern: g }, pr.destinationBranch));
    add(
      ok
        ? { ...bosun, id: 'target-branch', status: 'pass', message: `${pr.destinationBranch} is an allowed target.`, unblockedBy: null }
        : { ...bosun, id: 'target-branch', status: 'fail', message: `${pr.destinationBranch} is not an allowed target (${policy.allowedTargetBranches.join(', ')}).`, unblockedBy: { kind: 'author', note: 'Retarget the pull request.' } },
    );
  }
  if (policy.freezeWindows && policy.freezeWindows.length > 0) {
    const now = (options.now ?? new Date(0)).getTime();
    const active = policy.freezeWindows.filter(
      (w) =>
        Date.parse(w.start) <= now &&
        now < Date.parse(w.end) &&
        (!w.branches || w.branches.length === 0 || w.branches.some((g) => isRestrictionForBranch({ branch_match_kind: 'glob', pattern: g }, pr.destinationBranch))),
    );
    if (active.length === 0) add({ ...bosun, id: 'freeze', status: 'pass', message: 'No merge freeze is on.', unblockedBy: null });
    else {
      const until = new Date(Math.max(...active.map((w) => Date.parse(w.end)))).toISOString();
      const why = active.map((w) => w.reason).filter(Boolean).join('; ');
      add({ ...bosun, id: 'freeze', status: 'pending', message: `Merges into ${pr.destinationBranch} are frozen until ${until}${why ? ` (${why})` : ''}.`, unblockedBy: { kind: 'time', until } });
    }
  }
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    // policies/ validates patterns; an unreadable one must not pass silently.
    return false;
  }
}
