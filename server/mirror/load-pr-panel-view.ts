import type { CommitStatus, PullRequest } from '../bitbucket';
import type { MirrorFreshness } from './mirror-freshness';
import type { MirrorSource } from './mirror-source';
import type { MirrorStore } from './mirror-store';
import { readPullRequest, readStatus, toPullRequestRecord, toRepositoryRecord, toStatusRecord } from './to-mirror-records';
import { toShortHash } from './mirror-store';

export interface PullRequestPanelData {
  pullRequest: PullRequest;
  statuses: CommitStatus[];
  freshness: MirrorFreshness;
}

/**
 * A pull request read live, written into the mirror so the next view is warm (an older copy never overwrites a
 * newer one: the store compares updated_on). The repository comes from the PR's own summary when the mirror has
 * not met it (no extra request). False when neither the mirror nor the summary names the repository: nothing written.
 */
export async function rememberPullRequest(
  store: Pick<MirrorStore, 'getRepository' | 'upsertRepositories' | 'applyPullRequests'>,
  clientKey: string,
  repositoryUuid: string,
  pullRequest: PullRequest,
  at: Date,
): Promise<boolean> {
  const summary = pullRequest.destination.repository;
  const named = summary?.uuid === repositoryUuid && !!summary.full_name;
  const known = await store.getRepository(clientKey, repositoryUuid);
  if (!known && !named) return false;
  if (!known && summary?.full_name) {
    await store.upsertRepositories(clientKey, [toRepositoryRecord({ uuid: repositoryUuid, full_name: summary.full_name, name: summary.name ?? summary.full_name })], at);
  }
  await store.applyPullRequests(clientKey, repositoryUuid, [toPullRequestRecord(pullRequest)], at);
  return true;
}

/**
 * The PR panel's data from the mirror: no Bitbucket call when the mirror knows the pull request and its
 * current commit's statuses. Otherwise one live read (`live()` is the people lane's source), which fills
 * the mirror so the next view is warm.
 */
export async function loadPrPanelView(
  deps: { store: MirrorStore; now: () => Date; live: () => MirrorSource },
  input: { clientKey: string; repositoryUuid: string; pullRequestId: number; fresh?: boolean },
): Promise<PullRequestPanelData> {
  const { store, now } = deps;
  const { clientKey, repositoryUuid, pullRequestId } = input;
  const mirrored = input.fresh ? null : await store.getPullRequest(clientKey, repositoryUuid, pullRequestId);
  if (mirrored && mirrored.sourceHash && mirrored.statusesHash === mirrored.sourceHash) {
    const statuses = await store.listStatuses(clientKey, repositoryUuid, [mirrored.sourceHash]);
    return {
      pullRequest: readPullRequest(mirrored),
      statuses: statuses.map(readStatus),
      freshness: { source: 'mirror', asOf: mirrored.mirroredAt.toISOString(), complete: true },
    };
  }
  const source = deps.live();
  const [pullRequest, statuses] = await Promise.all([
    source.getPullRequest(repositoryUuid, pullRequestId),
    source.listPullRequestStatuses(repositoryUuid, pullRequestId),
  ]);
  const at = now();
  if (await rememberPullRequest(store, clientKey, repositoryUuid, pullRequest, at)) {
    const hash = toShortHash(pullRequest.source.commit?.hash);
    if (hash) {
      await store.applyStatuses(clientKey, repositoryUuid, hash, statuses.map(toStatusRecord));
      await store.markStatusesSynced(clientKey, repositoryUuid, pullRequestId, hash);
    }
  }
  return { pullRequest, statuses, freshness: { source: 'live', asOf: at.toISOString(), complete: true } };
}
