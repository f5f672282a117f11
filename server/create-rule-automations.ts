import { z } from 'zod';
import { planPullRequestRulesInTurn, planPushRules, planReviewerRetryInTurn, planStaleRule, type ReviewerCursorStore, type RuleFactsSource } from './agent';
import { PULL_REQUEST_REVIEW_EVENTS, toCoalesceWindow, type DeliveryFacts, type EnqueueInput, type RuleAutomation } from './jobs';

/** Job types of the automation rules (registered by create-rule-services.ts). */
export const RULES_PULL_REQUEST_JOB = 'rules.pullRequest';
export const RULES_PUSH_JOB = 'rules.push';
export const RULES_STALE_JOB = 'rules.stale';

export interface RulesPullRequestJob {
  repositoryUuid: string;
  pullRequestId: number;
  event: 'created' | 'updated' | 'other';
}

export interface RulesPushJob {
  requestUuid: string;
}

/** Events after which a PR's rules look again (reviewers on created/updated, statuses on any). */
const PULL_REQUEST_EVENTS = new Set<string>(PULL_REQUEST_REVIEW_EVENTS);

const pullRequestJobSchema = z.object({ repositoryUuid: z.string().min(1), pullRequestId: z.number().int().positive(), event: z.enum(['created', 'updated', 'other']) });
const pushJobSchema = z.object({ requestUuid: z.string().min(1) });

/**
 * A PR event's rules job. A burst about one PR shares a job (it re-reads the PR); `created` gets a job
 * of its own so reviewer assignment is never coalesced into an update. Commit-status events are not
 * listened to: Bosun's own statuses would wake the rules again.
 */
export function toPullRequestRuleJobs(facts: DeliveryFacts, now: Date): EnqueueInput[] {
  if (!PULL_REQUEST_EVENTS.has(facts.eventKey) || !facts.repositoryUuid || facts.pullRequestId === null) return [];
  const event = facts.eventKey === 'pullrequest:created' ? 'created' : facts.eventKey === 'pullrequest:updated' ? 'updated' : 'other';
  const { bucket, runAt } = toCoalesceWindow(now);
  const payload: RulesPullRequestJob = { repositoryUuid: facts.repositoryUuid, pullRequestId: facts.pullRequestId, event };
  const subject = `${facts.repositoryUuid}:${facts.pullRequestId}`;
  return [
    {
      clientKey: facts.clientKey,
      type: RULES_PULL_REQUEST_JOB,
      payload,
      dedupeKey: event === 'created' ? `rules:created:${subject}` : `rules:pr:${subject}:${event}:${bucket}`,
      runAt,
      priority: -5,
    },
  ];
}

/** A push's rules job (bot pull requests): one per delivery. */
export function toPushRuleJobs(facts: DeliveryFacts, now: Date): EnqueueInput[] {
  if (facts.eventKey !== 'repo:push' || !facts.repositoryUuid) return [];
  const payload: RulesPushJob = { requestUuid: facts.requestUuid };
  return [{ clientKey: facts.clientKey, type: RULES_PUSH_JOB, payload, dedupeKey: `rules:push:${facts.requestUuid}`, runAt: now, priority: -5 }];
}

export interface RuleAutomationsDeps {
  facts: RuleFactsSource;
  now: () => Date;
  /** Round-robin reviewer positions (absent: each assignment starts at the group's first member). */
  cursors?: ReviewerCursorStore | undefined;
}

/** The automation rules as jobs: PR events (reviewers, statuses), pushes (bot PRs), the scheduled stale pass. */
export function createRuleAutomations(deps: RuleAutomationsDeps): RuleAutomation[] {
  const pullRequest: RuleAutomation = {
    type: RULES_PULL_REQUEST_JOB,
    jobsFor: toPullRequestRuleJobs,
    async run({ clientKey, payload }, execute) {
      const ref = pullRequestJobSchema.parse(payload);
      const facts = await deps.facts.loadPullRequest(clientKey, ref);
      if (!facts) return { ignored: 'gone' };
      const plans = await planPullRequestRulesInTurn(deps.cursors, clientKey, facts, deps.now());
      const results = await execute(plans);
      // Bitbucket refused a reviewer (400): once more without them, never a second retry.
      const k = results.findIndex((r) => r.rule === 'reviewers' && r.mode === 'on' && r.outcome === 'failed');
      const step = k >= 0 ? results[k]!.failedStep : null;
      const tried = k >= 0 ? (plans[k]!.plan.steps[0]?.input as { reviewers?: string[] } | undefined)?.reviewers ?? [] : [];
      const retry = step ? await planReviewerRetryInTurn(deps.cursors, clientKey, facts, { ...step, reviewers: tried }, deps.now()) : null;
      if (retry) results.push(...(await execute([retry])));
      return { results };
    },
  };
  const push: RuleAutomation = {
    type: RULES_PUSH_JOB,
    jobsFor: toPushRuleJobs,
    async run({ clientKey, payload }, execute) {
      const { requestUuid } = pushJobSchema.parse(payload);
      const pushes = await deps.facts.loadPush(clientKey, requestUuid);
      return { results: await execute(pushes.flatMap((p) => planPushRules(p.push, p.policy, p.openPullRequests))) };
    },
  };
  const stale: RuleAutomation = {
    type: RULES_STALE_JOB,
    async run({ clientKey }, execute) {
      const candidates = await deps.facts.listStaleCandidates(clientKey);
      const now = deps.now();
      return { checked: candidates.length, results: await execute(candidates.flatMap((c) => planStaleRule(c.pullRequest, c.policy, now))) };
    },
  };
  return [pullRequest, push, stale];
}
