import type { CommitStatus, Repository } from '../state/types';
import { type ApiContext, type Flavor, toApiUrl, toLink } from './api-context';
import { toCommit } from './to-commit';
import { toFullName, toRepository } from './to-repository';

export function toCommitStatus(ctx: ApiContext, repo: Repository, s: CommitStatus, flavor: Flavor = 'rest'): Record<string, unknown> {
  const fullName = toFullName(ctx, repo);
  const commit = ctx.state.commits.find((c) => c.repoUuid === repo.uuid && c.hash === s.commitHash);
  return {
    key: s.key,
    type: 'build',
    state: s.state,
    name: s.name,
    ...(s.refname ? { refname: s.refname } : {}),
    ...(flavor === 'webhook' && commit ? { commit: toCommit(ctx, repo, commit, 'webhook') } : {}),
    url: s.url,
    ...(flavor === 'webhook' ? { repository: toRepository(ctx, repo) } : {}),
    description: s.description,
    created_on: s.createdOn,
    updated_on: s.updatedOn,
    uuid: s.uuid,
    links: {
      self: toLink(toApiUrl(ctx, `/repositories/${fullName}/commit/${s.commitHash}/statuses/build/${encodeURIComponent(s.key)}`)),
      commit: toLink(toApiUrl(ctx, `/repositories/${fullName}/commit/${s.commitHash}`)),
    },
  };
}
