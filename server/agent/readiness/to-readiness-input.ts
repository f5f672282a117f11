import type { BranchRestriction, CommitStatus } from '../../bitbucket';
import type { ReadinessInput } from '../../rules';
import type { ReadinessPullRequest } from './readiness-pull-request';

export interface ReadinessFacts {
  /** Statuses of the PR's source commit. */
  statuses: readonly CommitStatus[];
  restrictions: readonly BranchRestriction[];
  defaultReviewerUuids: readonly string[];
  mainBranch: string | null;
  /** The PR's tasks when listed; null: use the PR's `task_count` as the number still open (unverified). */
  tasks: readonly { state: 'RESOLVED' | 'UNRESOLVED' }[] | null;
  mergerUuid?: string | null | undefined;
}

/**
 * The readiness oracle's input from Bitbucket's shapes (a PR from the REST API or the mirror, parsed
 * with pullRequestSchema or the slimmer readinessPullRequestSchema; its
 * statuses, the repository's branch restrictions and default reviewers). A deleted source branch
 * shows as a null `source.commit` (pullRequestEndpointSchema).
 */
export function toReadinessInput(pr: ReadinessPullRequest, facts: ReadinessFacts): ReadinessInput {
  const openTasks = facts.tasks ?? Array.from({ length: pr.task_count ?? 0 }, () => ({ state: 'UNRESOLVED' as const }));
  return {
    pullRequest: {
      state: pr.state,
      draft: pr.draft ?? false,
      title: pr.title,
      authorUuid: pr.author?.uuid ?? '',
      sourceBranch: pr.source.branch.name,
      destinationBranch: pr.destination.branch.name,
    },
    participants: (pr.participants ?? []).flatMap((p) =>
      p.user.uuid ? [{ userUuid: p.user.uuid, displayName: p.user.display_name, approved: p.approved, state: p.state ?? (p.approved ? 'approved' : null) }] : [],
    ),
    statuses: facts.statuses.map((s) => ({ key: s.key, name: s.name, state: s.state })),
    tasks: openTasks,
    restrictions: facts.restrictions.map((r) => ({
      kind: r.kind,
      value: r.value,
      branch_match_kind: r.branch_match_kind,
      branch_type: r.branch_type,
      pattern: r.pattern,
      userUuids: (r.users ?? []).flatMap((u) => (u.uuid ? [u.uuid] : [])),
      groupSlugs: (r.groups ?? []).flatMap((g) => (g.slug ? [g.slug] : [])),
    })),
    defaultReviewerUuids: facts.defaultReviewerUuids,
    mainBranch: facts.mainBranch,
    sourceBranchExists: pr.source.commit !== null,
    mergerUuid: facts.mergerUuid ?? null,
  };
}
