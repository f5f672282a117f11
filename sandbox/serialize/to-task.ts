import { getUserByUuid } from '../state/lookups';
import type { PullRequest, PullRequestTask } from '../state/types';
import { type ApiContext, toApiUrl, toHtmlUrl, toLink } from './api-context';
import { toUser } from './to-account';
import { toRendered } from './to-rendered';
import { toFullName } from './to-repository';

/** pullrequest_comment_task: the spec closes both halves of its allOf, so only `task` validates strictly. */
export function toTask(ctx: ApiContext, pr: PullRequest, t: PullRequestTask): Record<string, unknown> {
  const repo = ctx.state.repositories.find((r) => r.uuid === pr.repoUuid);
  const fullName = repo ? toFullName(ctx, repo) : '';
  const prPath = `/repositories/${fullName}/pullrequests/${pr.id}`;
  return {
    id: t.id,
    created_on: t.createdOn,
    updated_on: t.updatedOn,
    state: t.state,
    content: toRendered(t.raw, 'rest'),
    creator: toUser(ctx, getUserByUuid(ctx.state, t.creatorUuid)),
    pending: t.pending,
    ...(t.resolvedOn ? { resolved_on: t.resolvedOn } : {}),
    ...(t.resolvedByUuid ? { resolved_by: toUser(ctx, getUserByUuid(ctx.state, t.resolvedByUuid)) } : {}),
    links: {
      self: toLink(toApiUrl(ctx, `${prPath}/tasks/${t.id}`)),
      html: toLink(toHtmlUrl(ctx, `/${fullName}/pull-requests/${pr.id}`)),
    },
    ...(t.commentId !== null
      ? { comment: { type: 'pullrequest_comment', id: t.commentId, links: { self: toLink(toApiUrl(ctx, `${prPath}/comments/${t.commentId}`)) } } }
      : {}),
  };
}
