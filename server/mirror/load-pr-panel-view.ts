import type { CommitStatus, PullRequest } from '../bitbucket';
import type { MirrorFreshness } from './mirror-freshness';
import type { MirrorSource } from './mirror-source';
import type { MirrorStore } from './mirror-store';
import { readPullRequest, readStatus, toPullRequestRecord, toStatusRecord } from './to-mirror-records';
import { toShortHash } from './mirror-store';

export interface PullRequestPanelData {
  pullRequest: PullRequest;
  statuses: CommitStatus[];
  freshness: MirrorFreshness;
}

/**
 * The PR panel's data from the mirror: no Bitbucket call when the mirror knows the pull request and its
 * current commit's statuses. Otherwise one live read (`live()` is the people lane's source), which fills
 * the mirror so the next view is warm.
 */
export async function loadPrPanelView(
  deps: { store: MirrorStore; now: () => Date; live: () => MirrorSource },
  input: { clientKey: string; repositoryUuid: string; pullRequestId: number },
): Promise<PullRequestPanelData> {
  const { store, now } = deps;
  const { clientKey, repositoryUuid, pullRequestId } = input;
  const mirrored = await store.getPullRequest(clientKey, repositoryUuid, pullRequestId);
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
  // Only a repository the mirror knows gets rows: the webhook or the sync adds the repository itself.
  if (await store.getRepository(clientKey, repositoryUuid)) {
    await store.applyPullRequests(clientKey, repositoryUuid, [toPullRequestRecord(pullRequest)], at);
    const hash = toShortHash(pullRequest.source.commit?.hash);
    if (hash) {
      await store.applyStatuses(clientKey, repositoryUuid, hash, statuses.map(toStatusRecord));
      await store.markStatusesSynced(clientKey, repositoryUuid, pullRequestId, hash);
    }
  }
  return { pullRequest, statuses, freshness: { source: 'live', asOf: at.toISOString(), complete: true } };
}
