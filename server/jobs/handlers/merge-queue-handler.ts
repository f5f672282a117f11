import { z } from 'zod';
import type { MergeQueueDriver, MergeQueueHandled, MergeQueueStore, QueueEvent, QueueKey, QueueRepository, QueueState } from '../../merge-queue';
import type { QueueCiVerdict } from '../../merge-queue/to-queue-ci-verdict';
import { PermanentJobError } from '../errors';
import type { JobQueue } from '../job-queue';
import type { WebhookDeliveryStore } from '../webhook-delivery-store';
import type { JobHandler } from '../worker';

export const MERGE_QUEUE_JOB = 'merge-queue.event';
/** Reads CI on a batch's tested commit until it settles, then hands the queue its `ci-result`. */
export const MERGE_QUEUE_CI_JOB = 'merge-queue.ci';
/** Scheduled per tenant: moves every queue with work on the clock (freeze windows) and repairs lost work. */
export const MERGE_QUEUE_TICK_JOB = 'merge-queue.tick';

const settingsSchema = z.object({
  batchSize: z.number().int().min(1).max(50),
  depth: z.number().int().min(1).max(10),
  retryFailedBatchOnce: z.boolean(),
  lanes: z.array(z.string().min(1).max(64)).min(1).max(10),
  frozen: z.boolean(),
  freezeWindows: z.array(z.object({ start: z.iso.datetime(), end: z.iso.datetime(), branches: z.array(z.string()).optional(), reason: z.string().max(500).optional() })).max(50),
  paused: z.boolean(),
  // No mergeStrategy: the policy's mergeQueue.strategy is read when a batch is built (an older job's is dropped).
}).partial();

const prId = z.number().int().positive();
const id = z.string().min(1).max(255);
/** A queue event as a job carries it, checked once here (the state machine trusts its input). */
export const queueEventSchema: z.ZodType<QueueEvent> = z.union([
  z.object({ type: z.literal('enqueue'), prId, by: id, sourceCommit: id, lane: z.string().min(1).max(64).optional() }),
  z.object({ type: z.literal('dequeue'), prId, by: id, reason: z.string().max(2000).optional() }),
  z.object({ type: z.literal('pr-updated'), prId, sourceCommit: id }),
  z.object({ type: z.literal('pr-closed'), prId, state: z.enum(['MERGED', 'DECLINED', 'SUPERSEDED']) }),
  z.object({ type: z.literal('batch-built'), batchId: id, commit: id }),
  z.object({ type: z.literal('batch-build-failed'), batchId: id, prId: prId.nullable(), reason: z.string().max(2000) }),
  z.object({ type: z.literal('ci-result'), batchId: id, commit: id, passed: z.boolean(), reason: z.string().max(2000).optional() }),
  z.object({ type: z.literal('land-result'), batchId: id, decisionId: id, outcome: z.literal('merged') }),
  z.object({ type: z.literal('land-result'), batchId: id, decisionId: id, outcome: z.literal('rejected'), prId, reason: z.string().max(2000) }),
  z.object({ type: z.literal('land-result'), batchId: id, decisionId: id, outcome: z.literal('stale'), reason: z.string().max(2000) }),
  z.object({ type: z.literal('configure'), settings: settingsSchema }),
  z.object({ type: z.literal('tick') }),
  z.object({ type: z.literal('resume') }),
]) as z.ZodType<QueueEvent>;

export const mergeQueueJobSchema = z.object({ repository: z.string().min(1).max(255), branch: z.string().min(1).max(255), event: queueEventSchema });
export type MergeQueueJob = z.infer<typeof mergeQueueJobSchema>;

export interface MergeQueueJobDeps {
  driver: MergeQueueDriver;
  queue: JobQueue;
}

/**
 * One queue event per job: the driver applies it and runs what follows. A retried job (the worker
 * died, Bitbucket failed) resumes the queue first, so a decision taken before the failure is
 * carried out under its id. A freeze window schedules the tick that lifts it.
 */
export function createMergeQueueJobHandler(deps: MergeQueueJobDeps): JobHandler {
  return async (job) => {
    const parsed = mergeQueueJobSchema.safeParse(job.payload);
    if (!parsed.success) throw new PermanentJobError('The merge-queue.event job payload is not valid');
    const { repository, branch, event } = parsed.data;
    const key: QueueKey = { clientKey: job.clientKey, repository, branch };
    const handled = await deps.driver.handle(key, event, { resume: job.attempts > 1 });
    await followMergeQueue(deps.queue, key, handled, undefined, { rearm: job.attempts > 1 });
    return { events: handled.events.map((e) => e.type), effects: handled.effects.map((e) => e.type), version: handled.state.version };
  };
}

/**
 * Queues an event for a branch's queue. Redelivered webhooks collapse here already: a CI result
 * is one job per commit and outcome, a tick one per instant.
 */
export async function enqueueMergeQueueEvent(queue: JobQueue, key: QueueKey, event: QueueEvent, runAt?: Date): Promise<void> {
  const scope = `${key.repository}:${key.branch}`;
  const dedupeKey = event.type === 'ci-result' ? `merge-queue:ci:${scope}:${event.batchId}:${event.commit}:${event.passed}`
    : event.type === 'tick' && runAt ? `merge-queue:tick:${scope}:${runAt.toISOString()}`
      : undefined;
  await queue.enqueue({
    clientKey: key.clientKey,
    type: MERGE_QUEUE_JOB,
    payload: { repository: key.repository, branch: key.branch, event } satisfies MergeQueueJob,
    ...(dedupeKey && dedupeKey.length <= 255 ? { dedupeKey } : {}),
    ...(runAt ? { runAt } : {}),
  });
}

/**
 * What every caller of the driver does after it: the tick that lifts a freeze window, and a CI
 * watch for each batch it built (the queue waits for CI on the tested commit).
 */
export async function followMergeQueue(queue: JobQueue, key: QueueKey, handled: Pick<MergeQueueHandled, 'events' | 'wakeAt' | 'state'>, now?: Date, options: { rearm?: boolean } = {}): Promise<void> {
  if (handled.wakeAt) await enqueueMergeQueueEvent(queue, key, { type: 'tick' }, handled.wakeAt);
  for (const e of handled.events) if (e.type === 'batch-built') await enqueueCiWatch(queue, key, { batchId: e.batchId, commit: e.commit, polls: 0 }, now);
  // A retried job may have saved a `batch-built` and then failed before its watch was queued (a
  // later effect threw): the retry's resume does not build that batch again, so nothing would read
  // its CI until a status webhook or the tick's stale read. Re-arming every testing batch's first
  // watch is a no-op where it exists (one job per dedupe key, ever).
  if (options.rearm) for (const b of handled.state.batches) if (b.state === 'testing' && b.commit) await enqueueCiWatch(queue, key, { batchId: b.id, commit: b.commit, polls: 0 }, now);
}

const ciJobSchema = z.object({ repository: id, branch: id, batchId: id, commit: id, polls: z.number().int().min(0).max(100_000) });
export type MergeQueueCiJob = z.infer<typeof ciJobSchema>;

async function enqueueCiWatch(queue: JobQueue, key: QueueKey, watch: Omit<MergeQueueCiJob, 'repository' | 'branch'>, runAt?: Date): Promise<void> {
  const dedupeKey = `merge-queue:ci-watch:${key.repository}:${key.branch}:${watch.batchId}:${watch.commit}:${watch.polls}`;
  await queue.enqueue({
    clientKey: key.clientKey,
    type: MERGE_QUEUE_CI_JOB,
    payload: { repository: key.repository, branch: key.branch, ...watch } satisfies MergeQueueCiJob,
    ...(dedupeKey.length <= 255 ? { dedupeKey } : {}),
    ...(runAt ? { runAt } : {}),
  });
}

export interface MergeQueueCiDeps extends MergeQueueJobDeps {
  store: MergeQueueStore;
  repositoryFor(key: QueueKey): Promise<QueueRepository>;
  /** The commit's statuses, settled or not (merge-queue's toQueueCiVerdict). */
  toVerdict(statuses: Awaited<ReturnType<QueueRepository['listCommitStatuses']>>): QueueCiVerdict;
  now: () => Date;
  /** First wait between reads of a pending commit; doubles up to `maxPollMs`. Default 2 s. */
  pollMs?: number | undefined;
  maxPollMs?: number | undefined;
  /** How long a tested commit may go without any CI verdict before its batch counts as failed. Default 2 h. */
  maxWaitMs?: number | undefined;
}

/**
 * Watches CI on a batch's tested commit: reads its statuses (as the installation), and while they
 * are pending comes back later (2 s, 4 s … at most 30 s apart: a ten-minute run costs ~25 reads).
 * A batch no longer testing that commit (cancelled, rebuilt) ends the watch. Status webhooks on
 * queue branches are not routed here yet; the watch is what turns CI into `ci-result`.
 */
export function createMergeQueueCiHandler(deps: MergeQueueCiDeps): JobHandler {
  const pollMs = deps.pollMs ?? 2_000;
  const maxPollMs = deps.maxPollMs ?? 30_000;
  const maxWaitMs = deps.maxWaitMs ?? 2 * 60 * 60_000;
  return async (job) => {
    const parsed = ciJobSchema.safeParse(job.payload);
    if (!parsed.success) throw new PermanentJobError('The merge-queue.ci job payload is not valid');
    const { repository, branch, batchId, commit, polls } = parsed.data;
    const key: QueueKey = { clientKey: job.clientKey, repository, branch };
    const state = await deps.store.load(key);
    const batch = state?.batches.find((b) => b.id === batchId);
    if (!batch || batch.state !== 'testing' || batch.commit !== commit) return { watched: 'over' };
    const verdict = deps.toVerdict(await (await deps.repositoryFor(key)).listCommitStatuses(commit));
    const waited = deps.now().getTime() - Date.parse(batch.createdAt);
    if (verdict.kind === 'pending' && waited < maxWaitMs) {
      const delay = Math.min(maxPollMs, pollMs * 2 ** Math.min(polls, 16));
      await enqueueCiWatch(deps.queue, key, { batchId, commit, polls: polls + 1 }, new Date(deps.now().getTime() + delay));
      return { watched: 'pending', polls: polls + 1 };
    }
    const event: QueueEvent = verdict.kind === 'passed'
      ? { type: 'ci-result', batchId, commit, passed: true }
      : { type: 'ci-result', batchId, commit, passed: false, reason: verdict.kind === 'failed' ? verdict.reason : `No CI reported on the tested commit within ${Math.round(maxWaitMs / 60_000)} minutes.` };
    const handled = await deps.driver.handle(key, event, { resume: job.attempts > 1 });
    await followMergeQueue(deps.queue, key, handled, deps.now(), { rearm: job.attempts > 1 });
    return { watched: verdict.kind, effects: handled.effects.map((e) => e.type) };
  };
}

export interface MergeQueueTickDeps extends MergeQueueCiDeps {
  /** A batch still building after this long lost its worker: the tick resumes it. Default 5 minutes. */
  staleBuildMs?: number | undefined;
  /** merge-queue's hasWork: active entries or batches. */
  hasWork(state: QueueState): boolean;
}

/**
 * The scheduler's tick, once per period per tenant: each queue with work gets a `tick` (a freeze
 * window may have ended), resumed first when a batch has been building or landing too long (the
 * job that ran it died past its retries), and one read of CI for each batch testing, so a watch
 * lost to a dead-lettered job cannot leave a batch waiting forever.
 */
export function createMergeQueueTickHandler(deps: MergeQueueTickDeps): JobHandler {
  const staleBuildMs = deps.staleBuildMs ?? 5 * 60_000;
  return async (job) => {
    const queues = (await deps.store.listForTenant(job.clientKey)).filter(deps.hasWork);
    const at = deps.now().getTime();
    for (const q of queues) {
      const key: QueueKey = { clientKey: q.clientKey, repository: q.repository, branch: q.branch };
      const stale = q.batches.some((b) => (b.state === 'building' || b.state === 'landing') && at - Date.parse(b.createdAt) > staleBuildMs);
      const handled = await deps.driver.handle(key, { type: 'tick' }, { resume: stale });
      await followMergeQueue(deps.queue, key, handled, deps.now(), { rearm: true });
      const testing = handled.state.batches.filter((b) => b.state === 'testing' && b.commit && at - Date.parse(b.createdAt) > staleBuildMs);
      for (const b of testing) {
        const verdict = deps.toVerdict(await (await deps.repositoryFor(key)).listCommitStatuses(b.commit!));
        if (verdict.kind === 'pending') continue;
        const event: QueueEvent = verdict.kind === 'passed' ? { type: 'ci-result', batchId: b.id, commit: b.commit!, passed: true } : { type: 'ci-result', batchId: b.id, commit: b.commit!, passed: false, reason: verdict.reason };
        await followMergeQueue(deps.queue, key, await deps.driver.handle(key, event), deps.now());
      }
    }
    return { queues: queues.length };
  };
}

const statusJobSchema = z.object({ commitHash: z.string().regex(/^[0-9a-f]{7,40}$/) });

/**
 * A status webhook on some commit: each queue of the tenant testing that commit reads its CI now
 * (one Bitbucket read) and, when it settled, gets its `ci-result`. Any other commit: nothing.
 */
export function createMergeQueueStatusHandler(deps: MergeQueueCiDeps & { hasWork(state: QueueState): boolean }): JobHandler {
  return async (job) => {
    const parsed = statusJobSchema.safeParse(job.payload);
    if (!parsed.success) throw new PermanentJobError('The merge-queue.status job payload is not valid');
    const hash = parsed.data.commitHash;
    const same = (commit: string) => commit.startsWith(hash) || hash.startsWith(commit);
    const queues = (await deps.store.listForTenant(job.clientKey)).filter(deps.hasWork);
    let checked = 0;
    for (const q of queues) {
      const key: QueueKey = { clientKey: q.clientKey, repository: q.repository, branch: q.branch };
      for (const b of q.batches.filter((x) => x.state === 'testing' && x.commit !== null && same(x.commit))) {
        checked += 1;
        const verdict = deps.toVerdict(await (await deps.repositoryFor(key)).listCommitStatuses(b.commit!));
        if (verdict.kind === 'pending') continue;
        const event: QueueEvent = verdict.kind === 'passed' ? { type: 'ci-result', batchId: b.id, commit: b.commit!, passed: true } : { type: 'ci-result', batchId: b.id, commit: b.commit!, passed: false, reason: verdict.reason };
        await followMergeQueue(deps.queue, key, await deps.driver.handle(key, event, { resume: job.attempts > 1 }), deps.now(), { rearm: job.attempts > 1 });
      }
      // A queued PR's own build failed on its queued commit: it leaves now, before a batch spends a run on it.
      for (const e of q.entries.filter((x) => (x.state === 'waiting' || x.state === 'batched') && same(x.sourceCommit))) {
        checked += 1;
        // One status per key on a commit (a status with the same key replaces the earlier one); Bosun's own keys aside.
        const failed = (await (await deps.repositoryFor(key)).listCommitStatuses(e.sourceCommit))
          .filter((s) => !s.key.startsWith('bosun/') && (s.state === 'FAILED' || s.state === 'STOPPED'));
        if (failed.length === 0) continue;
        const reason = failed.map((s) => `${s.name ?? s.key} ${s.state.toLowerCase()}`).join(', ');
        await followMergeQueue(deps.queue, key, await deps.driver.handle(key, { type: 'pr-builds-failed', prId: e.prId, sourceCommit: e.sourceCommit, reason }, { resume: job.attempts > 1 }), deps.now(), { rearm: job.attempts > 1 });
      }
    }
    return { checked };
  };
}

const prJobSchema = z.object({ requestUuid: z.string().min(1).max(255) });
const prEventSchema = z.looseObject({
  repository: z.looseObject({ full_name: z.string() }),
  pullrequest: z.looseObject({
    id: z.number().int(),
    state: z.string(),
    source: z.looseObject({ commit: z.looseObject({ hash: z.string() }).nullish() }).optional(),
    destination: z.looseObject({ branch: z.looseObject({ name: z.string() }) }),
  }),
});

/**
 * A queued PR changed outside the queue: a new commit ejects it (its tested combination is no
 * longer what would land), a merge or decline takes it out. A PR in no queue, or a webhook of the
 * queue's own merges (already landed or landing), changes nothing.
 */
export function createMergeQueuePullRequestHandler(deps: MergeQueueJobDeps & { store: MergeQueueStore; deliveries: WebhookDeliveryStore; now: () => Date }): JobHandler {
  return async (job) => {
    const parsed = prJobSchema.safeParse(job.payload);
    if (!parsed.success) throw new PermanentJobError('The merge-queue.pullrequest job payload is not valid');
    const delivery = await deps.deliveries.getByRequestUuid(job.clientKey, parsed.data.requestUuid);
    const event = prEventSchema.safeParse(delivery?.payload);
    if (!event.success) return { ignored: 'no pull request in the delivery' };
    const pr = event.data.pullrequest;
    const key: QueueKey = { clientKey: job.clientKey, repository: event.data.repository.full_name, branch: pr.destination.branch.name };
    const entry = (await deps.store.load(key))?.entries.find((e) => e.prId === pr.id && (e.state === 'waiting' || e.state === 'batched'));
    if (!entry) return { ignored: 'not queued' };
    const head = pr.source?.commit?.hash ?? '';
    const closed = pr.state === 'MERGED' || pr.state === 'DECLINED' || pr.state === 'SUPERSEDED';
    // Bitbucket's webhooks carry 12-character hashes: the same commit, however long, is no new push.
    if (!closed && (!head || entry.sourceCommit.startsWith(head) || head.startsWith(entry.sourceCommit))) return { ignored: 'same commit' };
    const queueEvent: QueueEvent = closed ? { type: 'pr-closed', prId: pr.id, state: pr.state as 'MERGED' | 'DECLINED' | 'SUPERSEDED' } : { type: 'pr-updated', prId: pr.id, sourceCommit: head };
    const handled = await deps.driver.handle(key, queueEvent, { resume: job.attempts > 1 });
    await followMergeQueue(deps.queue, key, handled, deps.now(), { rearm: job.attempts > 1 });
    return { event: queueEvent.type, effects: handled.effects.map((e) => e.type) };
  };
}
