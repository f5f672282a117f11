import type { EffectivePolicy } from '../../policies';
import { decideStaleAction } from '../../rules';
import { toRulePlan, type RulePlan } from './rules-plan';

/** Bosun's stale reminder lives in its own sticky comment: its time is when the PR was reminded. */
export const STALE_STICKY_KEY = 'bosun-stale';

const REMINDED_MARK = /<!-- bosun:stale-reminded:([0-9T:.\-+Z]{10,40}) -->/;

/**
 * When Bosun reminded, from its reminder's hidden mark (Bosun's clock, the one the rule counts
 * with; the comment's own timestamps are Bitbucket's). null: not a reminder, or no readable mark.
 */
export function toStaleRemindedAt(raw: string): string | null {
  const at = REMINDED_MARK.exec(raw)?.[1];
  return at !== undefined && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : null;
}

export interface StalePullRequestFacts {
  workspace: string;
  repo: string;
  repositoryUuid: string;
  id: number;
  title: string;
  state: string;
  /** Last activity by a person, not counting Bosun's own reminder. */
  lastActivityAt: string;
  remindedAt: string | null;
}

/**
 * The stale rule for one PR now: a reminder (the stale sticky comment) after `remindAfterDays`, a
 * decline `declineAfterDays` after that only when the policy declines and the rule is on (a
 * dry-run records it). Keys name the activity (reminder) or the reminder (decline) they answer, so
 * each happens once however often the schedule looks.
 */
export function planStaleRule(pr: StalePullRequestFacts, policy: EffectivePolicy, now: Date): RulePlan[] {
  const mode = policy.stale.mode;
  if (mode === 'off') return [];
  const decision = decideStaleAction({ state: pr.state, lastActivityAt: pr.lastActivityAt, remindedAt: pr.remindedAt }, policy.stale, now);
  if (decision.action === 'none') return [];
  const target = { workspace: pr.workspace, repo: pr.repo, pullRequestId: pr.id };
  const base = `rules:${pr.repositoryUuid}:${pr.id}:stale`;
  if (decision.action === 'remind') {
    const declineNote = policy.stale.decline ? ` It will be declined after ${policy.stale.declineAfterDays} more days without activity.` : '';
    const body = `⏰ **Bosun** · this pull request has had no activity for ${policy.stale.remindAfterDays} days or more. ${decision.reason}${declineNote}\n\n<!-- bosun:stale-reminded:${now.toISOString()} -->`;
    return [
      toRulePlan({
        rule: 'stale',
        mode,
        key: `${base}:remind:${pr.lastActivityAt}`,
        summary: `Remind #${pr.id} that it is stale`,
        steps: [{ tool: 'pullRequest.comment', input: { ...target, body, stickyKey: STALE_STICKY_KEY } }],
        wouldDo: [`remind #${pr.id}: ${decision.reason}`],
        target,
      }),
    ];
  }
  return [
    toRulePlan({
      rule: 'stale',
      mode,
      key: `${base}:decline:${pr.remindedAt ?? 'never'}`,
      summary: `Decline stale #${pr.id} "${pr.title}"`,
      steps: [{ tool: 'pullRequest.decline', input: target }],
      wouldDo: [`decline #${pr.id}: ${decision.reason}`],
      target,
      // An admin switched the rule on with `decline: true`: that is the confirmation.
      confirmed: true,
    }),
  ];
}
