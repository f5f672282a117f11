import { z } from 'zod';
import { commitStatusSchema, pullRequestSchema } from '../bitbucket';
import { toShortHash, type MirrorStore, type PullRequestRecord, type RepositoryRecord, type StatusRecord, type WebhookProjectionBatch } from './mirror-store';
import { toPullRequestRecord, toRepositoryRecord, toStatusRecord } from './to-mirror-records';
import { toBranchRecord } from './create-repository-facts-sync';

const repositoryRef = z.looseObject({ uuid: z.string(), full_name: z.string(), name: z.string().optional() });
const pullRequestEvent = z.looseObject({ repository: repositoryRef, pullrequest: pullRequestSchema });
const statusEvent = z.looseObject({
  repository: repositoryRef,
  commit_status: commitStatusSchema.extend({ commit: z.looseObject({ hash: z.string() }) }),
});

const pushRef = z.looseObject({ type: z.string(), name: z.string(), target: z.looseObject({ hash: z.string(), date: z.string().nullish() }).optional() }).nullish();
const pushEvent = z.looseObject({
  repository: repositoryRef,
  push: z.looseObject({ changes: z.array(z.looseObject({ new: pushRef, old: pushRef, closed: z.boolean().optional() })) }),
});

export type MirrorProjection = 'pull-request' | 'status' | 'branches' | 'ignored';

/** What one pull-request or status webhook writes (anything else goes through applyWebhookEvent). */
type RowProjection =
  | { kind: 'pull-request'; clientKey: string; repository: RepositoryRecord; pullRequest: PullRequestRecord }
  | { kind: 'status'; clientKey: string; repository: RepositoryRecord; commitHash: string; status: StatusRecord };

function toRowProjection(input: { clientKey: string; event: string; data: unknown }): RowProjection | 'ignored' | 'other' {
  if (input.event.startsWith('pullrequest:')) {
    const parsed = pullRequestEvent.safeParse(input.data);
    if (!parsed.success) return 'ignored';
    return { kind: 'pull-request', clientKey: input.clientKey, repository: toRepositoryRef(parsed.data.repository), pullRequest: toPullRequestRecord(parsed.data.pullrequest) };
  }
  if (input.event === 'repo:commit_status_created' || input.event === 'repo:commit_status_updated') {
    const parsed = statusEvent.safeParse(input.data);
    if (!parsed.success) return 'ignored';
    const hash = toShortHash(parsed.data.commit_status.commit.hash);
    if (!hash) return 'ignored';
    return { kind: 'status', clientKey: input.clientKey, repository: toRepositoryRef(parsed.data.repository), commitHash: hash, status: toStatusRecord(parsed.data.commit_status) };
  }
  return 'other';
}

/**
 * Projects a batch of webhooks with one write when the store can (applyWebhookProjections): the pull
 * requests and statuses of the batch, one row per key (the newest `updated_on`; of equal ones the later,
 * as writing them in turn would leave), and their repositories. Other events (pushes), and every webhook
 * of a batch whose write failed, go one by one through applyWebhookEvent, so a failure is told per webhook.
 */
export async function applyWebhookEvents<T extends { clientKey: string; event: string; data: unknown }>(
  store: MirrorStore,
  inputs: readonly T[],
  at: Date,
  onError: (err: unknown, input: T) => void,
): Promise<void> {
  const one = async (input: T) => {
    try {
      await applyWebhookEvent(store, { ...input, at });
    } catch (err) {
      onError(err, input);
    }
  };
  if (!store.applyWebhookProjections) {
    for (const input of inputs) await one(input);
    return;
  }
  const batch: WebhookProjectionBatch = { repositories: [], pullRequests: [], statuses: [] };
  const repositories = new Map<string, number>();
  const rows = new Map<string, number>();
  const batched: T[] = [];
  const others: T[] = [];
  for (const input of inputs) {
    const projection = toRowProjection(input);
    if (projection === 'ignored') continue;
    if (projection === 'other') {
      others.push(input);
      continue;
    }
    batched.push(input);
    const repoKey = `${projection.clientKey}\n${projection.repository.uuid}`;
    // The first webhook's copy inserts a repository the mirror has not met; the rest only note the event.
    if (!repositories.has(repoKey)) repositories.set(repoKey, batch.repositories.push({ clientKey: projection.clientKey, repository: projection.repository }) - 1);
    if (projection.kind === 'pull-request') {
      const row = { clientKey: projection.clientKey, repositoryUuid: projection.repository.uuid, pullRequest: projection.pullRequest };
      const key = `pr\n${repoKey}\n${projection.pullRequest.id}`;
      const earlier = rows.get(key);
      if (earlier === undefined) rows.set(key, batch.pullRequests.push(row) - 1);
      else if (batch.pullRequests[earlier]!.pullRequest.updatedOn <= row.pullRequest.updatedOn) batch.pullRequests[earlier] = row;
    } else {
      const row = { clientKey: projection.clientKey, repositoryUuid: projection.repository.uuid, commitHash: projection.commitHash, status: projection.status };
      const key = `status\n${repoKey}\n${projection.commitHash}\n${projection.status.key}`;
      const earlier = rows.get(key);
      if (earlier === undefined) rows.set(key, batch.statuses.push(row) - 1);
      else if (batch.statuses[earlier]!.status.updatedOn <= row.status.updatedOn) batch.statuses[earlier] = row;
    }
  }
  if (batched.length > 0) {
    try {
      await store.applyWebhookProjections(batch, at);
    } catch {
      // Told per webhook by the one-by-one path (the sweep repairs what still fails).
      for (const input of batched) await one(input);
    }
  }
  for (const input of others) await one(input);
}

/**
 * Projects one webhook onto the mirror. Safe to repeat and to apply out of order: the store keeps the
 * newer `updated_on`. A repository the mirror has not met yet is added from the payload.
 * Payload shapes: https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/
 */
export async function applyWebhookEvent(store: MirrorStore, input: { clientKey: string; event: string; data: unknown; at: Date }): Promise<MirrorProjection> {
  const { clientKey, at } = input;
  if (input.event.startsWith('pullrequest:')) {
    const parsed = pullRequestEvent.safeParse(input.data);
    if (!parsed.success) return 'ignored';
    const { repository, pullrequest } = parsed.data;
    await ensureRepository(store, clientKey, repository, at);
    await store.applyPullRequests(clientKey, repository.uuid, [toPullRequestRecord(pullrequest)], at);
    return 'pull-request';
  }
  if (input.event === 'repo:commit_status_created' || input.event === 'repo:commit_status_updated') {
    const parsed = statusEvent.safeParse(input.data);
    if (!parsed.success) return 'ignored';
    const { repository, commit_status: status } = parsed.data;
    const hash = toShortHash(status.commit.hash);
    if (!hash) return 'ignored';
    await ensureRepository(store, clientKey, repository, at);
    await store.applyStatuses(clientKey, repository.uuid, hash, [toStatusRecord(status)]);
    return 'status';
  }
  if (input.event === 'repo:push') {
    // Branch heads: a new head is written unless a newer one is stored; a deleted branch goes.
    // (A late push older than a deletion brings the branch back until the sweep lists branches again.)
    const parsed = pushEvent.safeParse(input.data);
    if (!parsed.success) return 'ignored';
    const { repository, push } = parsed.data;
    const heads = push.changes.flatMap((c) => (c.new?.type === 'branch' ? [toBranchRecord(c.new)] : [])).filter((b) => b !== null);
    const deleted = push.changes.flatMap((c) => (!c.new && c.old?.type === 'branch' ? [c.old.name] : []));
    if (heads.length === 0 && deleted.length === 0) return 'ignored';
    await ensureRepository(store, clientKey, repository, at);
    await store.applyBranches(clientKey, repository.uuid, heads, at);
    await store.deleteBranches(clientKey, repository.uuid, deleted);
    return 'branches';
  }
  return 'ignored';
}

function toRepositoryRef(repository: z.infer<typeof repositoryRef>): RepositoryRecord {
  const name = repository.name ?? repository.full_name.split('/').pop() ?? repository.full_name;
  return toRepositoryRecord({ uuid: repository.uuid, full_name: repository.full_name, name });
}

async function ensureRepository(store: MirrorStore, clientKey: string, repository: z.infer<typeof repositoryRef>, at: Date): Promise<void> {
  await store.noteRepositoryEvent(clientKey, toRepositoryRef(repository), at);
}
