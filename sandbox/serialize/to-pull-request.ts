import { getUserByUuid } from '../state/lookups';
import { toShortHash } from '../state/ids';
import type { Participant, PullRequest, PullRequestComment, Repository } from '../state/types';
import { type ApiContext, type Flavor, toApiUrl, toHtmlUrl, toLink } from './api-context';
import { toUser } from './to-account';
import { toCommitLinks } from './to-commit';
import { toRendered } from './to-rendered';
import { toFullName, toRepositorySummary } from './to-repository';

function getRepo(ctx: ApiContext, pr: PullRequest): Repository {
  const repo = ctx.state.repositories.find((r) => r.uuid === pr.repoUuid);
  if (!repo) throw new Error('pull request without repository');
  return repo;
}

/** PR endpoints carry 12-char hashes in REST and webhooks alike (see samples/rest/get-pullrequest--woodpecker.json). */
function toEndpointCommit(ctx: ApiContext, repo: Repository, hash: string, flavor: Flavor) {
  const short = toShortHash(hash);
  return flavor === 'rest' ? { hash: short } : { hash: short, links: toCommitLinks(ctx, repo, short), type: 'commit' };
}

/**
 * Bitbucket sends `null` for unset fields (state, participated_on, merge_commit, closed_by); openapi.json
 * declares them non-nullable, so REST omits them and webhooks keep the captured nulls.
 */
function nullable<T>(key: string, value: T | null, flavor: Flavor): Record<string, T | null> {
  return value === null && flavor === 'rest' ? {} : { [key]: value };
}

export function toParticipant(ctx: ApiContext, p: Participant, flavor: Flavor = 'rest'): Record<string, unknown> {
  return {
    type: 'participant',
    user: toUser(ctx, getUserByUuid(ctx.state, p.userUuid)),
    role: p.role,
    approved: p.approved,
    ...nullable('state', p.state, flavor),
    ...nullable('participated_on', p.participatedOn, flavor),
  };
}

export function toPullRequestLinks(ctx: ApiContext, pr: PullRequest, flavor: Flavor) {
  const base = `/repositories/${toFullName(ctx, getRepo(ctx, pr))}/pullrequests/${pr.id}`;
  const links: Record<string, { href: string }> = {
    self: toLink(toApiUrl(ctx, base)),
    html: toLink(toHtmlUrl(ctx, `/${toFullName(ctx, getRepo(ctx, pr))}/pull-requests/${pr.id}`)),
    commits: toLink(toApiUrl(ctx, `${base}/commits`)),
    approve: toLink(toApiUrl(ctx, `${base}/approve`)),
    diff: toLink(toApiUrl(ctx, `${base}/diff`)),
    diffstat: toLink(toApiUrl(ctx, `${base}/diffstat`)),
    comments: toLink(toApiUrl(ctx, `${base}/comments`)),
    activity: toLink(toApiUrl(ctx, `${base}/activity`)),
    merge: toLink(toApiUrl(ctx, `${base}/merge`)),
    decline: toLink(toApiUrl(ctx, `${base}/decline`)),
  };
  // openapi.json closes the links object; real Bitbucket (and its webhooks) also send these two.
  if (flavor === 'webhook') {
    links['request-changes'] = toLink(toApiUrl(ctx, `${base}/request-changes`));
    links.statuses = toLink(toApiUrl(ctx, `${base}/statuses`));
  }
  return links;
}

export function toPullRequest(ctx: ApiContext, pr: PullRequest, flavor: Flavor = 'rest'): Record<string, unknown> {
  const repo = getRepo(ctx, pr);
  const commentCount = ctx.state.comments.filter((c) => c.repoUuid === pr.repoUuid && c.prId === pr.id && !c.deleted).length;
  const taskCount = ctx.state.tasks.filter((t) => t.repoUuid === pr.repoUuid && t.prId === pr.id && t.state === 'UNRESOLVED').length;
  const rendered =
    flavor === 'rest'
      ? { title: toRendered(pr.title, flavor), ...(pr.reason ? { reason: toRendered(pr.reason, flavor) } : {}) }
      : { title: toRendered(pr.title, flavor), description: toRendered(pr.description, flavor), reason: toRendered(pr.reason, flavor) };
  const endpoint = (side: { branch: string; hash: string }, isDestination: boolean) => ({
    branch: isDestination
      ? { name: side.branch }
      : flavor === 'webhook'
        ? { name: side.branch, links: {}, sync_strategies: ['merge_commit', 'rebase'] }
        : { name: side.branch },
    commit: toEndpointCommit(ctx, repo, side.hash, flavor),
    repository: toRepositorySummary(ctx, repo),
  });
  return {
    comment_count: commentCount,
    task_count: taskCount,
    type: 'pullrequest',
    id: pr.id,
    title: pr.title,
    description: pr.description,
    rendered,
    state: pr.state,
    draft: pr.draft,
    ...nullable('merge_commit', pr.mergeCommit ? toEndpointCommit(ctx, repo, pr.mergeCommit, flavor) : null, flavor),
    close_source_branch: pr.closeSourceBranch,
    ...nullable('closed_by', pr.closedByUuid ? toUser(ctx, getUserByUuid(ctx.state, pr.closedByUuid)) : null, flavor),
    author: toUser(ctx, getUserByUuid(ctx.state, pr.authorUuid)),
    reason: pr.reason,
    created_on: pr.createdOn,
    updated_on: pr.updatedOn,
    destination: endpoint(pr.destination, true),
    source: endpoint(pr.source, false),
    reviewers: pr.reviewerUuids.map((uuid) => toUser(ctx, getUserByUuid(ctx.state, uuid))),
    participants: pr.participants.map((p) => toParticipant(ctx, p, flavor)),
    links: toPullRequestLinks(ctx, pr, flavor),
    summary: toRendered(pr.description, flavor),
  };
}

export function toPullRequestComment(ctx: ApiContext, pr: PullRequest, c: PullRequestComment, flavor: Flavor = 'rest'): Record<string, unknown> {
  const fullName = toFullName(ctx, getRepo(ctx, pr));
  return {
    id: c.id,
    created_on: c.createdOn,
    updated_on: c.updatedOn,
    content: toRendered(c.deleted ? '' : c.raw, flavor),
    user: toUser(ctx, getUserByUuid(ctx.state, c.userUuid)),
    deleted: c.deleted,
    pending: false,
    ...(c.parentId !== null ? { parent: { id: c.parentId, links: { self: toLink(toApiUrl(ctx, `/repositories/${fullName}/pullrequests/${pr.id}/comments/${c.parentId}`)) } } } : {}),
    ...(c.inline ? { inline: c.inline } : {}),
    type: 'pullrequest_comment',
    links: {
      self: toLink(toApiUrl(ctx, `/repositories/${fullName}/pullrequests/${pr.id}/comments/${c.id}`)),
      html: toLink(toHtmlUrl(ctx, `/${fullName}/pull-requests/${pr.id}/_/diff#comment-${c.id}`)),
    },
    pullrequest: {
      type: 'pullrequest',
      id: pr.id,
      title: pr.title,
      draft: pr.draft,
      links: { self: toPullRequestLinks(ctx, pr, 'rest').self, html: toPullRequestLinks(ctx, pr, 'rest').html },
    },
  };
}
