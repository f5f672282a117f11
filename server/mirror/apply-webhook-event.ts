import { z } from 'zod';
import { commitStatusSchema, pullRequestSchema } from '../bitbucket';
import { toShortHash, type MirrorStore } from './mirror-store';
import { toPullRequestRecord, toRepositoryRecord, toStatusRecord } from './to-mirror-records';

const repositoryRef = z.looseObject({ uuid: z.string(), full_name: z.string(), name: z.string().optional() });
const pullRequestEvent = z.looseObject({ repository: repositoryRef, pullrequest: pullRequestSchema });
const statusEvent = z.looseObject({
  repository: repositoryRef,
  commit_status: commitStatusSchema.extend({ commit: z.looseObject({ hash: z.string() }) }),
});

export type MirrorProjection = 'pull-request' | 'status' | 'ignored';

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
  return 'ignored';
}

async function ensureRepository(store: MirrorStore, clientKey: string, repository: z.infer<typeof repositoryRef>, at: Date): Promise<void> {
  const name = repository.name ?? repository.full_name.split('/').pop() ?? repository.full_name;
  await store.noteRepositoryEvent(clientKey, toRepositoryRecord({ uuid: repository.uuid, full_name: repository.full_name, name }), at);
}
