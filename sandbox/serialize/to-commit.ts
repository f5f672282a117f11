import { getUserByUuid } from '../state/lookups';
import type { Commit, Repository } from '../state/types';
import { type ApiContext, type Flavor, toApiUrl, toHtmlUrl, toLink } from './api-context';
import { toUser } from './to-account';
import { toRendered } from './to-rendered';
import { toFullName, toRepository } from './to-repository';

export function toCommitLinks(ctx: ApiContext, repo: Repository, hash: string) {
  const fullName = toFullName(ctx, repo);
  return {
    self: toLink(toApiUrl(ctx, `/repositories/${fullName}/commit/${hash}`)),
    html: toLink(toHtmlUrl(ctx, `/${fullName}/commits/${hash}`)),
  };
}

export function toCommit(ctx: ApiContext, repo: Repository, commit: Commit, flavor: Flavor = 'rest'): Record<string, unknown> {
  const author = getUserByUuid(ctx.state, commit.authorUuid);
  const fullName = toFullName(ctx, repo);
  return {
    type: 'commit',
    hash: commit.hash,
    date: commit.date,
    author: { type: 'author', raw: `${author.displayName} <${author.email}>`, user: toUser(ctx, author) },
    message: commit.message,
    summary: toRendered(commit.message, 'rest'),
    links: {
      ...toCommitLinks(ctx, repo, commit.hash),
      diff: toLink(toApiUrl(ctx, `/repositories/${fullName}/diff/${commit.hash}`)),
      approve: toLink(toApiUrl(ctx, `/repositories/${fullName}/commit/${commit.hash}/approve`)),
      comments: toLink(toApiUrl(ctx, `/repositories/${fullName}/commit/${commit.hash}/comments`)),
      statuses: toLink(toApiUrl(ctx, `/repositories/${fullName}/commit/${commit.hash}/statuses`)),
    },
    parents: commit.parents.map((hash) => ({ type: 'commit', hash, links: toCommitLinks(ctx, repo, hash) })),
    ...(flavor === 'rest' ? { repository: toRepository(ctx, repo) } : { rendered: {}, properties: {} }),
  };
}

export function toBranch(ctx: ApiContext, repo: Repository, name: string, commit: Commit, flavor: Flavor = 'rest'): Record<string, unknown> {
  const fullName = toFullName(ctx, repo);
  return {
    name,
    target: toCommit(ctx, repo, commit, flavor),
    links: {
      self: toLink(toApiUrl(ctx, `/repositories/${fullName}/refs/branches/${encodeURIComponent(name)}`)),
      commits: toLink(toApiUrl(ctx, `/repositories/${fullName}/commits/${encodeURIComponent(name)}`)),
      html: toLink(toHtmlUrl(ctx, `/${fullName}/branch/${encodeURIComponent(name)}`)),
    },
    type: 'branch',
    merge_strategies: ['merge_commit', 'squash', 'fast_forward'],
    default_merge_strategy: 'merge_commit',
  };
}
