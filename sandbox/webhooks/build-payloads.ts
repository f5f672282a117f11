import type { ApiContext } from '../serialize/api-context';
import { toApiUrl, toHtmlUrl, toLink } from '../serialize/api-context';
import { toUser } from '../serialize/to-account';
import { toBranch, toCommit } from '../serialize/to-commit';
import { toCommitStatus } from '../serialize/to-commit-status';
import { toPullRequest, toPullRequestComment } from '../serialize/to-pull-request';
import { toFullName, toRepository } from '../serialize/to-repository';
import type { Commit, CommitStatus, PullRequest, PullRequestComment, Repository, User } from '../state/types';

/** Payload shapes follow the captured webhooks in shared/bitbucket/samples/webhooks. */
export function toPullRequestPayload(ctx: ApiContext, repo: Repository, pr: PullRequest, actor: User): Record<string, unknown> {
  return { repository: toRepository(ctx, repo), actor: toUser(ctx, actor), pullrequest: toPullRequest(ctx, pr, 'webhook') };
}

export function toApprovalPayload(ctx: ApiContext, repo: Repository, pr: PullRequest, actor: User, date: string, field: 'approval' | 'changes_request'): Record<string, unknown> {
  return { ...toPullRequestPayload(ctx, repo, pr, actor), [field]: { date, user: toUser(ctx, actor) } };
}

export function toCommentPayload(ctx: ApiContext, repo: Repository, pr: PullRequest, comment: PullRequestComment, actor: User): Record<string, unknown> {
  return { ...toPullRequestPayload(ctx, repo, pr, actor), comment: toPullRequestComment(ctx, pr, comment, 'webhook') };
}

export function toCommitStatusPayload(ctx: ApiContext, repo: Repository, status: CommitStatus, actor: User): Record<string, unknown> {
  return { repository: toRepository(ctx, repo), actor: toUser(ctx, actor), commit_status: toCommitStatus(ctx, repo, status, 'webhook') };
}

export interface BranchMove {
  branch: string;
  oldTarget: Commit | null;
  newTarget: Commit | null;
  /** newest first, like Bitbucket; truncated to 5 */
  commits: Commit[];
  forced?: boolean;
}

export function toPushPayload(ctx: ApiContext, repo: Repository, moves: BranchMove[], actor: User): Record<string, unknown> {
  const fullName = toFullName(ctx, repo);
  const changes = moves.map((m) => {
    const oldHash = m.oldTarget?.hash;
    const newHash = m.newTarget?.hash;
    return {
      old: m.oldTarget ? toBranch(ctx, repo, m.branch, m.oldTarget, 'webhook') : null,
      new: m.newTarget ? toBranch(ctx, repo, m.branch, m.newTarget, 'webhook') : null,
      truncated: m.commits.length > 5,
      created: !m.oldTarget,
      forced: m.forced ?? false,
      closed: !m.newTarget,
      links: {
        ...(newHash
          ? { commits: toLink(toApiUrl(ctx, `/repositories/${fullName}/commits?include=${newHash}${oldHash ? `&exclude=${oldHash}` : ''}`)) }
          : {}),
        ...(newHash && oldHash
          ? {
              diff: toLink(toApiUrl(ctx, `/repositories/${fullName}/diff/${newHash}..${oldHash}`)),
              html: toLink(toHtmlUrl(ctx, `/${fullName}/branches/compare/${newHash}..${oldHash}`)),
            }
          : {}),
      },
      commits: m.commits.slice(0, 5).map((c) => toCommit(ctx, repo, c, 'webhook')),
    };
  });
  return { actor: toUser(ctx, actor), repository: toRepository(ctx, repo), push: { changes } };
}
