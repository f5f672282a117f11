import type { EnqueueInput } from '../job-queue';
import { COALESCE_WINDOW_MS, type DeliveryFacts } from '../webhook-jobs';

/** Job types of the automation rules (handlers in rule-handlers.ts). */
export const RULES_PULL_REQUEST_JOB = 'rules.pullRequest';
export const RULES_PUSH_JOB = 'rules.push';
export const RULES_STALE_JOB = 'rules.stale';

/** Events after which a PR's rules look again (reviewers on created/updated, statuses on any). */
const PULL_REQUEST_EVENTS = new Set([
  'pullrequest:created',
  'pullrequest:updated',
  'pullrequest:approved',
  'pullrequest:unapproved',
  'pullrequest:changes_request_created',
  'pullrequest:changes_request_removed',
]);

export interface RulesPullRequestJob {
  repositoryUuid: string;
  pullRequestId: number;
  event: 'created' | 'updated' | 'other';
}

export interface RulesPushJob {
  requestUuid: string;
}

/**
 * The rule jobs a stored delivery calls for, in the intake's transaction beside its other job. A
 * burst about one PR shares a job (it re-reads the PR); `created` gets a job of its own so
 * reviewer assignment is never coalesced into an update. A push is one job per delivery.
 * Commit-status events are not listened to: Bosun's own statuses would wake the rules again.
 */
export function toRuleJobs(facts: DeliveryFacts, now: Date): EnqueueInput[] {
  if (facts.eventKey === 'repo:push' && facts.repositoryUuid) {
    const payload: RulesPushJob = { requestUuid: facts.requestUuid };
    return [{ clientKey: facts.clientKey, type: RULES_PUSH_JOB, payload, dedupeKey: `rules:push:${facts.requestUuid}`, runAt: now, priority: -5 }];
  }
  if (!PULL_REQUEST_EVENTS.has(facts.eventKey) || !facts.repositoryUuid || facts.pullRequestId === null) return [];
  const event = facts.eventKey === 'pullrequest:created' ? 'created' : facts.eventKey === 'pullrequest:updated' ? 'updated' : 'other';
  const bucket = Math.floor(now.getTime() / COALESCE_WINDOW_MS);
  const payload: RulesPullRequestJob = { repositoryUuid: facts.repositoryUuid, pullRequestId: facts.pullRequestId, event };
  const subject = `${facts.repositoryUuid}:${facts.pullRequestId}`;
  return [
    {
      clientKey: facts.clientKey,
      type: RULES_PULL_REQUEST_JOB,
      payload,
      dedupeKey: event === 'created' ? `rules:created:${subject}` : `rules:pr:${subject}:${event}:${bucket}`,
      runAt: new Date((bucket + 1) * COALESCE_WINDOW_MS),
      priority: -5,
    },
  ];
}
