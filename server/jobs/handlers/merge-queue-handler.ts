import { z } from 'zod';
import type { MergeQueueDriver, QueueEvent, QueueKey } from '../../merge-queue';
import { PermanentJobError } from '../errors';
import type { JobQueue } from '../job-queue';
import type { JobHandler } from '../worker';

export const MERGE_QUEUE_JOB = 'merge-queue.event';

const settingsSchema = z.object({
  batchSize: z.number().int().min(1).max(50),
  depth: z.number().int().min(1).max(10),
  retryFailedBatchOnce: z.boolean(),
  lanes: z.array(z.string().min(1).max(64)).min(1).max(10),
  frozen: z.boolean(),
  freezeWindows: z.array(z.object({ start: z.iso.datetime(), end: z.iso.datetime(), branches: z.array(z.string()).optional(), reason: z.string().max(500).optional() })).max(50),
  paused: z.boolean(),
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
    if (handled.wakeAt) await enqueueMergeQueueEvent(deps.queue, key, { type: 'tick' }, handled.wakeAt);
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
