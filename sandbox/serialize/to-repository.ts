import { getWorkspaceOf } from '../state/lookups';
import type { Repository } from '../state/types';
import { toTeam, toWorkspace } from './to-account';
import { type ApiContext, toApiUrl, toHtmlUrl, toLink } from './api-context';

export function toFullName(ctx: ApiContext, repo: Repository): string {
  return `${getWorkspaceOf(ctx.state, repo).slug}/${repo.slug}`;
}

function toRepoLinks(ctx: ApiContext, repo: Repository) {
  const fullName = toFullName(ctx, repo);
  return {
    self: toLink(toApiUrl(ctx, `/repositories/${fullName}`)),
    html: toLink(toHtmlUrl(ctx, `/${fullName}`)),
    avatar: toLink(toHtmlUrl(ctx, `/${fullName}/avatar/32/`)),
  };
}

/** The short repository object nested in PR source/destination. */
export function toRepositorySummary(ctx: ApiContext, repo: Repository): Record<string, unknown> {
  return { type: 'repository', full_name: toFullName(ctx, repo), links: toRepoLinks(ctx, repo), name: repo.name, uuid: repo.uuid };
}

export function toRepository(ctx: ApiContext, repo: Repository): Record<string, unknown> {
  const ws = getWorkspaceOf(ctx.state, repo);
  const fullName = toFullName(ctx, repo);
  return {
    type: 'repository',
    full_name: fullName,
    links: {
      ...toRepoLinks(ctx, repo),
      pullrequests: toLink(toApiUrl(ctx, `/repositories/${fullName}/pullrequests`)),
      commits: toLink(toApiUrl(ctx, `/repositories/${fullName}/commits`)),
      hooks: toLink(toApiUrl(ctx, `/repositories/${fullName}/hooks`)),
      clone: [{ name: 'https', href: toHtmlUrl(ctx, `/${fullName}.git`) }],
    },
    name: repo.name,
    slug: repo.slug,
    description: repo.description,
    scm: 'git',
    website: null,
    owner: toTeam(ctx, ws),
    workspace: toWorkspace(ctx, ws),
    is_private: repo.isPrivate,
    uuid: repo.uuid,
    language: repo.language,
    created_on: repo.createdOn,
    updated_on: repo.updatedOn,
    size: 0,
    has_issues: false,
    has_wiki: false,
    fork_policy: 'no_public_forks',
    mainbranch: { type: 'branch', name: repo.mainbranch },
  };
}
