import { asBitbucketFailure, isBitbucketFailure, type BitbucketClient } from '../../bitbucket';
import type { RepositorySettings } from '../../policies/diff-repository-settings';

const toUuids = (accounts: ReadonlyArray<{ uuid?: string | null | undefined }> | undefined): string[] =>
  (accounts ?? []).flatMap((a) => (a.uuid ? [a.uuid] : []));

/**
 * Reads what a template is compared with, from Bitbucket: the repository, its branch restrictions,
 * default reviewers, webhooks, Pipelines configuration and the main branch's merge strategies
 * (read-only in the API). A Pipelines configuration Bitbucket will not show (Pipelines never set
 * up for the workspace) reads as unknown, not as off.
 */
export async function loadRepositorySettings(client: BitbucketClient, workspace: string, repoSlug: string): Promise<RepositorySettings> {
  const repo = await client.repositories.get(workspace, repoSlug);
  const mainBranch = repo.mainbranch?.name ?? null;
  const [restrictions, reviewers, hooks, pipelines, branch] = await Promise.all([
    client.branchRestrictions.list(workspace, repoSlug),
    client.defaultReviewers.list(workspace, repoSlug),
    client.webhooks.list(workspace, repoSlug),
    client.pipelinesConfig.get(workspace, repoSlug).catch((error: unknown) => {
      const status = asBitbucketFailure(error)?.status;
      if (status === 404 || status === 400) return null;
      throw error;
    }),
    mainBranch
      ? client.branches.get(workspace, repoSlug, mainBranch).catch((error: unknown) => {
          if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) return null;
          throw error;
        })
      : Promise.resolve(null),
  ]);
  return {
    fullName: repo.full_name,
    uuid: repo.uuid,
    isPrivate: repo.is_private ?? true,
    mainBranch,
    description: repo.description ?? '',
    branchRestrictions: restrictions.map((r) => ({
      id: r.id,
      kind: r.kind,
      pattern: r.pattern ?? '',
      value: r.value ?? null,
      users: toUuids(r.users),
      // The client's schema keeps unknown keys: groups are read as Bitbucket sends them.
      groups: ((r as { groups?: Array<{ slug?: string }> }).groups ?? []).flatMap((g) => (g.slug ? [g.slug] : [])),
    })),
    mergeStrategies: branch?.merge_strategies ? { allowed: branch.merge_strategies, default: branch.default_merge_strategy ?? null } : null,
    defaultReviewers: toUuids(reviewers),
    webhooks: hooks.map((h) => ({ uuid: h.uuid, description: h.description ?? '', url: h.url, events: h.events, active: h.active })),
    pipelinesEnabled: pipelines ? (pipelines.enabled ?? false) : null,
  };
}
