import type { CommitStatus, PullRequest, Repository } from '../bitbucket';
import { MirrorNotFoundError } from './errors';
import type { MirrorFreshness } from './mirror-freshness';
import type { MirrorSource } from './mirror-source';
import { toShortHash, type MirrorStore } from './mirror-store';
import type { MirrorSync } from './create-mirror-sync';
import { readPullRequest, readRepository, readStatus, toRepositoryRecord } from './to-mirror-records';

export interface RepoDashboardData {
  repository: Repository;
  pullRequests: Array<{ pullRequest: PullRequest; statuses: CommitStatus[] }>;
  freshness: MirrorFreshness;
}

/**
 * The repository dashboard's data from the mirror: three queries, no Bitbucket call, however many
 * open pull requests. A repository the mirror has not synced yet is synced first (its PR list, one
 * request per 50), through `live()` (the people lane), and then answered from the mirror.
 */
export async function loadRepoDashboardView(
  deps: { store: MirrorStore; sync: MirrorSync; now: () => Date; live: () => MirrorSource },
  input: { clientKey: string; repositoryUuid: string; maxPullRequests?: number },
): Promise<RepoDashboardData> {
  const { store } = deps;
  const { clientKey, repositoryUuid } = input;
  let repo = await store.getRepository(clientKey, repositoryUuid);
  let source: MirrorFreshness['source'] = 'mirror';
  if (!repo?.pullRequestsSyncedAt) {
    const live = deps.live();
    if (!repo) await store.upsertRepositories(clientKey, [toRepositoryRecord(await live.getRepository(repositoryUuid))], deps.now());
    await deps.sync.syncRepository(clientKey, live, repositoryUuid);
    repo = await store.getRepository(clientKey, repositoryUuid);
    source = 'live';
  }
  if (!repo) throw new MirrorNotFoundError(`Repository ${repositoryUuid} is not in the mirror`);
  const open = (await store.listPullRequests(clientKey, repositoryUuid, ['OPEN'])).slice(0, input.maxPullRequests ?? 200);
  const hashes = [...new Set(open.flatMap((p) => (p.sourceHash ? [p.sourceHash] : [])))];
  const statuses = await store.listStatuses(clientKey, repositoryUuid, hashes);
  const byHash = new Map<string, CommitStatus[]>();
  for (const s of statuses) byHash.set(s.commitHash, [...(byHash.get(s.commitHash) ?? []), readStatus(s)]);
  const asOf = [repo.pullRequestsSyncedAt, ...open.map((p) => p.mirroredAt)]
    .filter((d): d is Date => d !== null)
    .reduce((latest, d) => (d > latest ? d : latest), new Date(0));
  return {
    repository: readRepository(repo),
    pullRequests: open.map((p) => {
      const pullRequest = readPullRequest(p);
      return { pullRequest, statuses: byHash.get(toShortHash(pullRequest.source.commit?.hash) ?? '') ?? [] };
    }),
    freshness: { source, asOf: asOf.toISOString(), complete: open.every((p) => p.statusesHash !== null && p.statusesHash === p.sourceHash) },
  };
}
