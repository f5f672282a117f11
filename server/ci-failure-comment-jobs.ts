import { toCoalesceWindow, type DeliveryFacts, type EnqueueInput } from './jobs';

/** The failed-builds comment's job (handler in create-ci-failure-comment.ts; create-services registers its delivery jobs with the intake). */
export const CI_FAILURE_COMMENT_JOB = 'ci.failureComment';

export interface CiFailureCommentJob {
  repositoryUuid: string;
  commitHash: string;
}

const STATUS_EVENTS = new Set(['repo:commit_status_created', 'repo:commit_status_updated']);

/**
 * A commit's status changed: its open PRs' failed-builds comments look again. Statuses of one commit in a burst
 * share a job (the handler reads the commit's statuses anyway). Bosun's own comment writes no status, so this
 * cannot wake itself.
 */
export function toCiFailureCommentJobs(facts: DeliveryFacts, now: Date): EnqueueInput[] {
  if (!STATUS_EVENTS.has(facts.eventKey) || !facts.repositoryUuid || !facts.commitHash) return [];
  const { bucket, runAt } = toCoalesceWindow(now);
  const payload: CiFailureCommentJob = { repositoryUuid: facts.repositoryUuid, commitHash: facts.commitHash };
  return [
    {
      clientKey: facts.clientKey,
      type: CI_FAILURE_COMMENT_JOB,
      payload,
      dedupeKey: `ci-failures:${facts.repositoryUuid}:${facts.commitHash.slice(0, 12)}:${bucket}`,
      runAt,
      priority: -5,
    },
  ];
}
