import { z } from 'zod';
import type { WebhookCommentEvent } from '../host';
import { PermanentJobError } from './errors';
import { PULL_REQUEST_REVIEW_EVENTS, toCoalesceWindow } from './coalesce-window';
import type { EnqueueInput, Job } from './job-queue';

/** Job types the webhook intake creates; handlers live in jobs/handlers. */
export const WEBHOOK_COMMENT_JOB = 'webhook.comment';
export const PULL_REQUEST_SYNC_JOB = 'pullrequest.sync';

export interface DeliveryFacts {
  clientKey: string;
  requestUuid: string;
  eventKey: string;
  repositoryUuid: string | null;
  pullRequestId: number | null;
  commitHash: string | null;
  /** The comment of a `pullrequest:comment_created` event as the edge parsed it (null for other events). */
  comment: WebhookCommentEvent | null;
}

/** A PR comment's job: the delivery id and the comment as the edge parsed it, so the handler never re-reads the delivery. */
export interface WebhookCommentJob {
  requestUuid: string;
  event: WebhookCommentEvent;
}

// The job's own envelope only: its event was checked by the edge's schema when the intake wrote this job
// in the delivery's transaction (a job written before the event travelled with it has none).
const webhookCommentJobSchema = z.object({
  requestUuid: z.string().min(1),
  event: z.custom<WebhookCommentEvent>((value) => typeof value === 'object' && value !== null && 'comment' in value && 'pullRequest' in value),
});

/** The comment job's delivery id, for the trigger context's logger and client (null when the payload is not one). */
export function toCommentRequestUuid(job: Job): string | null {
  const parsed = webhookCommentJobSchema.safeParse(job.payload);
  return parsed.success ? parsed.data.requestUuid : null;
}

/** Reads a comment job's payload; one that lacks its event fails for good (nothing to re-read). */
export function readWebhookCommentJob(job: Job): WebhookCommentJob {
  const parsed = webhookCommentJobSchema.safeParse(job.payload);
  if (!parsed.success) throw new PermanentJobError('The webhook.comment job carries no parsed comment event');
  return parsed.data;
}

export interface PullRequestSyncJob {
  repositoryUuid: string;
  pullRequestId: number | null;
  commitHash: string | null;
  /** The event that opened the window (later ones in it were coalesced). */
  firstEvent: string;
}

const SYNC_EVENTS = new Set<string>([
  ...PULL_REQUEST_REVIEW_EVENTS,
  'pullrequest:fulfilled',
  'pullrequest:rejected',
  'repo:commit_status_created',
  'repo:commit_status_updated',
]);

/**
 * What a stored delivery should make happen, or null. A comment is its own job (each one may be
 * a command); state changes of one PR or commit arriving in a burst share one job, since the
 * handler re-reads the current state anyway.
 */
export function toWebhookJob(facts: DeliveryFacts, now: Date): EnqueueInput | null {
  if (facts.eventKey === 'pullrequest:comment_created') {
    if (!facts.comment) return null;
    const payload: WebhookCommentJob = { requestUuid: facts.requestUuid, event: facts.comment };
    return { clientKey: facts.clientKey, type: WEBHOOK_COMMENT_JOB, payload, dedupeKey: `delivery:${facts.requestUuid}`, runAt: now };
  }
  if (!SYNC_EVENTS.has(facts.eventKey) || !facts.repositoryUuid) return null;
  const subject = facts.pullRequestId !== null ? `pr:${facts.pullRequestId}` : facts.commitHash ? `commit:${facts.commitHash.slice(0, 12)}` : null;
  if (!subject) return null;
  const { bucket, runAt } = toCoalesceWindow(now);
  const payload: PullRequestSyncJob = {
    repositoryUuid: facts.repositoryUuid,
    pullRequestId: facts.pullRequestId,
    commitHash: facts.commitHash,
    firstEvent: facts.eventKey,
  };
  return {
    clientKey: facts.clientKey,
    type: PULL_REQUEST_SYNC_JOB,
    payload,
    dedupeKey: `sync:${facts.repositoryUuid}:${subject}:${bucket}`,
    runAt,
  };
}

/** A sync of one PR outside the webhook flow (after "merge when green", after a transient failure). */
export function toPullRequestSyncJob(
  clientKey: string,
  ref: { repositoryUuid: string; pullRequestId: number },
  options: { reason: string; dedupeKey: string; runAt?: Date },
): EnqueueInput {
  const payload: PullRequestSyncJob = { repositoryUuid: ref.repositoryUuid, pullRequestId: ref.pullRequestId, commitHash: null, firstEvent: options.reason };
  return { clientKey, type: PULL_REQUEST_SYNC_JOB, payload, dedupeKey: options.dedupeKey, ...(options.runAt ? { runAt: options.runAt } : {}) };
}
