import type { EnqueueInput } from '../job-queue';
import type { DeliveryFacts } from '../webhook-jobs';

/** A commit status changed somewhere: if a queue is testing that commit, its CI watch looks now. */
export const MERGE_QUEUE_STATUS_JOB = 'merge-queue.status';
/** A pull request changed (new commit, merged, declined): if it is queued, the queue hears of it. */
export const MERGE_QUEUE_PR_JOB = 'merge-queue.pullrequest';

const PR_EVENTS = new Set(['pullrequest:updated', 'pullrequest:fulfilled', 'pullrequest:rejected']);

const STATUS_EVENTS = new Set(['repo:commit_status_created', 'repo:commit_status_updated']);

/** Whether the merge queue listens to this event at all (the intake asks only then whether the tenant has a queue). */
export function isMergeQueueEvent(facts: Pick<DeliveryFacts, 'eventKey'>): boolean {
  return STATUS_EVENTS.has(facts.eventKey) || PR_EVENTS.has(facts.eventKey);
}

export interface MergeQueueStatusJob {
  commitHash: string;
}

/**
 * One job per stored status webhook (the intake stores each delivery once, so redeliveries add
 * none), due at once: the green status of a batch's tested commit is acted on within a job claim
 * instead of at the CI watch's next read. A status on any other commit costs one read of the
 * tenant's queues and no Bitbucket call.
 */
export function toMergeQueueStatusJobs(facts: DeliveryFacts, now: Date): EnqueueInput[] {
  if (!STATUS_EVENTS.has(facts.eventKey) || !facts.commitHash) return [];
  const payload: MergeQueueStatusJob = { commitHash: facts.commitHash };
  return [{ clientKey: facts.clientKey, type: MERGE_QUEUE_STATUS_JOB, payload, dedupeKey: `merge-queue:status:${facts.requestUuid}`.slice(0, 255), runAt: now }];
}

export interface MergeQueuePullRequestJob {
  requestUuid: string;
}

/** One job per stored PR update, merge or decline; the handler reads the stored delivery. */
export function toMergeQueuePullRequestJobs(facts: DeliveryFacts, now: Date): EnqueueInput[] {
  if (!PR_EVENTS.has(facts.eventKey) || facts.pullRequestId === null) return [];
  const payload: MergeQueuePullRequestJob = { requestUuid: facts.requestUuid };
  return [{ clientKey: facts.clientKey, type: MERGE_QUEUE_PR_JOB, payload, dedupeKey: `merge-queue:pr:${facts.requestUuid}`.slice(0, 255), runAt: now }];
}
