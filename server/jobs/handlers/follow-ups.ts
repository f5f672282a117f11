import type { FollowUp } from '../../agent';
import type { EnqueueInput, JobQueue } from '../job-queue';
import { PULL_REQUEST_SYNC_JOB, toPullRequestSyncJob } from '../webhook-jobs';

type FollowUpJob = FollowUp['job'];
type PayloadOf<J extends FollowUpJob> = Extract<FollowUp, { job: J }>['payload'];

/** How each follow-up a tool result may declare becomes a job: one entry per variant, checked by the compiler. */
const TO_JOB: { [J in FollowUpJob]: (clientKey: string, payload: PayloadOf<J>, dedupeKey: string) => EnqueueInput } = {
  [PULL_REQUEST_SYNC_JOB]: (clientKey, payload, dedupeKey) => toPullRequestSyncJob(clientKey, payload, { reason: 'follow-up', dedupeKey }),
};

/**
 * Queues the follow-up work an execution's results declared. Keys derive from the execution's
 * idempotency key, so a replayed execution (a retried job) queues nothing twice.
 */
export async function enqueueFollowUps(queue: JobQueue, clientKey: string, result: { followUps: readonly FollowUp[] }, idempotencyKey: string): Promise<number> {
  for (const [index, followUp] of result.followUps.entries()) {
    await queue.enqueue(TO_JOB[followUp.job](clientKey, followUp.payload, `follow-up:${idempotencyKey}:${index}`.slice(0, 255)));
  }
  return result.followUps.length;
}
