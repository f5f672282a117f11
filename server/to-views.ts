import type { Account, CommitStatus, PullRequest } from './bitbucket';
import { aggregateCommitStatuses, toCurrentBuildStatuses } from './rules';
import type { BuildStatusView, PullRequestSummaryView, ReviewerView, UserView } from './web/api/contracts';

export function toUserView(account: Account | undefined | null): UserView | null {
  if (!account?.uuid) return null;
  return {
    uuid: account.uuid,
    accountId: account.account_id ?? null,
    displayName: account.display_name ?? account.nickname ?? 'Unknown user',
    nickname: account.nickname ?? null,
    avatarUrl: account.links?.avatar?.href ?? null,
  };
}

export function toPullRequestSummary(pr: PullRequest): PullRequestSummaryView {
  return {
    id: pr.id,
    title: pr.title,
    state: pr.state,
    draft: pr.draft ?? false,
    author: toUserView(pr.author),
    sourceBranch: pr.source.branch.name,
    destinationBranch: pr.destination.branch.name,
    sourceCommit: pr.source.commit?.hash ?? null,
    createdOn: pr.created_on ?? '',
    updatedOn: pr.updated_on ?? pr.created_on ?? '',
    url: pr.links?.html?.href ?? null,
  };
}

/** Reviewers first (in the order Bitbucket lists them), then other participants who took a stance. */
export function toReviewerViews(pr: PullRequest): ReviewerView[] {
  const views: ReviewerView[] = [];
  const seen = new Set<string>();
  for (const p of pr.participants ?? []) {
    const user = toUserView(p.user);
    if (!user || seen.has(user.uuid)) continue;
    if (p.role !== 'REVIEWER' && !p.approved && !p.state) continue;
    seen.add(user.uuid);
    views.push({ user, role: p.role, approved: p.approved, state: p.state ?? (p.approved ? 'approved' : null) });
  }
  for (const r of pr.reviewers ?? []) {
    const user = toUserView(r);
    if (!user || seen.has(user.uuid)) continue;
    seen.add(user.uuid);
    views.push({ user, role: 'REVIEWER', approved: false, state: null });
  }
  return views.sort((a, b) => (a.role === b.role ? 0 : a.role === 'REVIEWER' ? -1 : 1));
}

export function toBuildStatusViews(statuses: CommitStatus[]): BuildStatusView[] {
  return toCurrentBuildStatuses(statuses).map((s) => ({
    key: s.key,
    name: s.name ?? s.key,
    state: s.state,
    url: s.url ?? '',
    description: s.description ?? '',
    updatedOn: s.updated_on ?? s.created_on ?? '',
  }));
}

export function summarizeBuilds(statuses: CommitStatus[]) {
  return aggregateCommitStatuses(statuses);
}

export const countApprovals = (pr: PullRequest) => (pr.participants ?? []).filter((p) => p.approved).length;
