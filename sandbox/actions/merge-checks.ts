import { toGlobRegExp } from '../state/glob';
import type { BranchRestriction, BranchRestrictionKind, BranchType, PullRequest, Repository, SandboxState, User } from '../state/types';

/** Bitbucket's default branching model prefixes; the development branch is the main branch, production is unset. */
const BRANCH_TYPE_PREFIX: Partial<Record<BranchType, string>> = { feature: 'feature/', bugfix: 'bugfix/', release: 'release/', hotfix: 'hotfix/' };

export function matchesBranch(r: BranchRestriction, repo: Repository, branch: string): boolean {
  if (r.branchMatchKind === 'glob') return toGlobRegExp(r.pattern).test(branch);
  if (r.branchType === 'development') return branch === repo.mainbranch;
  const prefix = r.branchType ? BRANCH_TYPE_PREFIX[r.branchType] : undefined;
  return prefix !== undefined && branch.startsWith(prefix);
}

export function findBranchRestrictions(state: SandboxState, repo: Repository, branch: string, kind?: BranchRestrictionKind): BranchRestriction[] {
  return state.branchRestrictions.filter((r) => r.repoUuid === repo.uuid && (kind === undefined || r.kind === kind) && matchesBranch(r, repo, branch));
}

/**
 * Who may merge: the `restrict_merges` branch permission ("Merge via pull request") is a permission,
 * not a merge check, so it refuses on every plan, with or without `enforce_merge_checks`. Source:
 * openapi.json (branchrestriction.kind, users, groups); that it is enforced without Premium is
 * unverified (Atlassian's branch-permissions page, not in REFERENCE.md). Groups: the sandbox holds no
 * group membership, so only listed users pass.
 */
export function findMergePermissionFailures(state: SandboxState, repo: Repository, pr: PullRequest, actor: User): string[] {
  return findBranchRestrictions(state, repo, pr.destination.branch, 'restrict_merges')
    .filter((r) => !r.userUuids.includes(actor.uuid))
    .map(() => `${actor.displayName} is not allowed to merge into ${pr.destination.branch}.`);
}

/**
 * The merge checks a PR fails against the restrictions on its destination branch, as human-readable
 * reasons (empty: mergeable). Mirrors the checks Bitbucket shows on the merge dialog. Sources, per kind:
 * - require_approvals_to_merge, require_default_reviewer_approvals_to_merge, require_passing_builds_to_merge:
 *   openapi.json branchrestriction.value ("minimum number of approvals / approvals from default
 *   reviewers / passing builds"); value absent counts as 1 (unverified). "No failed or in-progress
 *   builds", STOPPED counting as not passing: unverified (Atlassian's merge-checks page).
 * - require_no_changes_requested, require_tasks_to_be_completed: openapi.json kind enum and REFERENCE.md §7;
 *   semantics unverified.
 * - Statuses are those of the source commit (REFERENCE.md §7: no status at all is pending).
 * Other kinds (require_commits_behind, require_all_comments_resolved, review groups…) are not modelled.
 */
export function findMergeCheckFailures(state: SandboxState, repo: Repository, pr: PullRequest): string[] {
  const failures: string[] = [];
  const approvals = pr.participants.filter((p) => p.approved);
  const defaults = new Set(state.defaultReviewers.filter((d) => d.repoUuid === repo.uuid).map((d) => d.userUuid));
  const statuses = state.statuses.filter((s) => s.repoUuid === repo.uuid && s.commitHash === pr.source.hash);
  const openTasks = state.tasks.filter((t) => t.repoUuid === repo.uuid && t.prId === pr.id && t.state === 'UNRESOLVED');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  for (const r of findBranchRestrictions(state, repo, pr.destination.branch)) {
    const value = r.value ?? 1;
    switch (r.kind) {
      case 'require_approvals_to_merge':
        if (approvals.length < value) failures.push(`Requires ${plural(value, 'approval')} (has ${approvals.length}).`);
        break;
      case 'require_default_reviewer_approvals_to_merge': {
        const n = approvals.filter((p) => defaults.has(p.userUuid)).length;
        if (n < value) failures.push(`Requires ${plural(value, 'approval')} from default reviewers (has ${n}).`);
        break;
      }
      case 'require_no_changes_requested':
        if (pr.participants.some((p) => p.state === 'changes_requested')) failures.push('Changes are requested on this pull request.');
        break;
      case 'require_passing_builds_to_merge': {
        const ok = statuses.filter((s) => s.state === 'SUCCESSFUL').length;
        const bad = statuses.filter((s) => s.state !== 'SUCCESSFUL').length;
        if (ok < value || bad > 0) failures.push(`Requires ${plural(value, 'successful build')} and no failed or in-progress builds (has ${ok} successful, ${bad} not).`);
        break;
      }
      case 'require_tasks_to_be_completed':
        if (openTasks.length) failures.push(`Requires all tasks to be resolved (${plural(openTasks.length, 'open task')}).`);
        break;
      default:
        break;
    }
  }
  return failures;
}
