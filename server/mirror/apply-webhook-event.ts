import { z } from 'zod';
import { commitStatusSchema, pullRequestSchema } from '../bitbucket';
import { toShortHash, type MirrorStore } from './mirror-store';
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

async function ensureRepository(store: MirrorStore, clientKey: string, repository: z.infer<typeof repositoryRef>, at: Date): Promise<void> {
  const name = repository.name ?? repository.full_name.split('/').pop() ?? repository.full_name;
  await store.noteRepositoryEvent(clientKey, toRepositoryRecord({ uuid: repository.uuid, full_name: repository.full_name, name }), at);
}
