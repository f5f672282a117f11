import type { ReviewerCursorStore } from '../stores/reviewer-cursor-store';
import type { RulePlan } from './rules-plan';
import { planPullRequestRules, toRefusedReviewer, toReviewerChoice, toReviewerPlanKey, type FailedReviewerStep, type PullRequestRuleFacts, type PullRequestRuleOptions } from './rules-pull-request-planner';
import { RetryableError } from '../../errors';

/** Races lost in a row before giving up (the job is retried later). */
const ATTEMPTS = 8;

/** Other runs kept advancing the same round-robin cursors: the job is retried later. */
export class ReviewerCursorBusyError extends RetryableError<'AGENT_REVIEWER_CURSOR_BUSY'> {
  constructor() {
    super('AGENT_REVIEWER_CURSOR_BUSY', 503, 1000, 'Round-robin reviewer positions kept changing under this run; it will be retried');
  }
}

/**
 * Plans with the stored round-robin cursors and claims the turn: the cursors this choice moves are
 * advanced with a compare-and-set on the versions read, and a lost race reads and chooses again, so
 * two PRs planned at once never get the same next person. Only a rule that is on advances them (a
 * dry run shows whom the next real assignment would ask). A redelivered trigger whose claim is the
 * last one stored plans without advancing again (its executor key replays the first result).
 */
async function takeReviewerTurn<T>(
  store: ReviewerCursorStore | undefined,
  clientKey: string,
  facts: PullRequestRuleFacts,
  options: Pick<PullRequestRuleOptions, 'refusedUuids'>,
  plan: (cursors: Record<string, number>) => T,
): Promise<T> {
  const { reviewers, groups } = facts.resolved.policy;
  if (!store || reviewers.mode !== 'on' || reviewers.strategy !== 'round-robin') return plan({});
  const slugs = Object.keys(groups);
  const claim = toReviewerPlanKey(facts, options);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const read = await store.load(clientKey, facts.repositoryUuid, slugs);
    const positions = Object.fromEntries(Object.entries(read).map(([g, c]) => [g, c.position]));
    const choice = toReviewerChoice(facts, { ...options, cursors: positions });
    const moves = choice
      ? Object.entries(choice.cursors)
          .filter((entry): entry is [string, number] => positions[entry[0]] !== entry[1])
          .map(([group, position]) => ({ group, position, expectedVersion: read[group]?.version ?? 0 }))
      : [];
    if (moves.length === 0 || moves.some((m) => read[m.group]?.lastClaim === claim)) return plan(positions);
    if (await store.advance(clientKey, facts.repositoryUuid, claim, moves)) return plan(positions);
  }
  throw new ReviewerCursorBusyError();
}

/** {@link planPullRequestRules} with the round-robin turn taken from the store. */
export function planPullRequestRulesInTurn(store: ReviewerCursorStore | undefined, clientKey: string, facts: PullRequestRuleFacts, now: Date): Promise<RulePlan[]> {
  return takeReviewerTurn(store, clientKey, facts, {}, (cursors) => planPullRequestRules(facts, now, { cursors }));
}

/** The one retry without the refused reviewer, taking its own turn (the next person after the refused one). */
export async function planReviewerRetryInTurn(
  store: ReviewerCursorStore | undefined,
  clientKey: string,
  facts: PullRequestRuleFacts,
  failed: FailedReviewerStep,
  now: Date,
): Promise<RulePlan | null> {
  const refused = toRefusedReviewer(failed);
  if (refused === null) return null;
  const options = { refusedUuids: [refused] };
  return takeReviewerTurn(store, clientKey, facts, options, (cursors) => planPullRequestRules(facts, now, { ...options, cursors }).find((p) => p.rule === 'reviewers') ?? null);
}
