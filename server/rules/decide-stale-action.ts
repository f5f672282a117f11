export interface StalePolicy {
  mode: 'off' | 'dry-run' | 'on';
  remindAfterDays: number;
  /** Days after the reminder before declining. */
  declineAfterDays: number;
  decline: boolean;
}

export interface StalePullRequest {
  state: string;
  /**
   * Last activity by a person (commits, comments, approvals, edits), NOT counting Bosun's own sticky
   * comment: a reminder must not count as the activity that cancels itself.
   */
  lastActivityAt: string;
  /** When Bosun last reminded (its sticky comment's marker); null: never. */
  remindedAt: string | null;
}

export type StaleDecision =
  | { action: 'none'; reason: string; nextCheckAt: string | null }
  | { action: 'remind' | 'decline'; reason: string; execute: boolean; nextCheckAt: string | null };

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const days = (ms: number) => Math.floor(ms / DAY_MS);

/**
 * What the stale rule does for one PR now (the clock is passed in). After `remindAfterDays` without
 * activity: a reminder; `declineAfterDays` after that reminder, still without activity: a decline,
 * only when the policy says `decline` and the rule is `on`. In dry-run the decision is the same but
 * `execute` is false: the executor records it and writes nothing to Bitbucket.
 */
export function decideStaleAction(pr: StalePullRequest, policy: StalePolicy, now: Date): StaleDecision {
  if (policy.mode === 'off') return { action: 'none', reason: 'The stale rule is off.', nextCheckAt: null };
  if (pr.state !== 'OPEN') return { action: 'none', reason: `The pull request is ${pr.state.toLowerCase()}.`, nextCheckAt: null };
  const t = now.getTime();
  const active = Date.parse(pr.lastActivityAt);
  const reminded = pr.remindedAt === null ? null : Date.parse(pr.remindedAt);
  const execute = policy.mode === 'on';
  // Activity after the reminder starts the count again.
  if (reminded === null || active > reminded) {
    const due = active + policy.remindAfterDays * DAY_MS;
    if (t < due) return { action: 'none', reason: `Active ${days(t - active)} days ago.`, nextCheckAt: iso(due) };
    return { action: 'remind', reason: `No activity for ${days(t - active)} days (reminder after ${policy.remindAfterDays}).`, execute, nextCheckAt: policy.decline ? iso(t + policy.declineAfterDays * DAY_MS) : null };
  }
  if (!policy.decline) return { action: 'none', reason: 'Reminded; the policy does not decline stale pull requests.', nextCheckAt: null };
  const due = reminded + policy.declineAfterDays * DAY_MS;
  if (t < due) return { action: 'none', reason: `Reminded ${days(t - reminded)} days ago.`, nextCheckAt: iso(due) };
  return { action: 'decline', reason: `No activity for ${days(t - reminded)} days after the reminder (decline after ${policy.declineAfterDays}).`, execute, nextCheckAt: null };
}
