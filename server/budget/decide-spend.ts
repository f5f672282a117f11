import type { BudgetLane } from './budget-lane';

/** How much of the hour each lane must leave to the lanes above it. */
export interface BudgetPolicy {
  /** Requests per credential per rolling hour (Bitbucket: 1,000 on /2.0/repositories/*). */
  limitPerHour: number;
  /** Remaining budget a lane may not dip below: automation leaves some for people, sync for both. */
  reserve: Record<BudgetLane, number>;
  /** Pause after a 429 that carries no Retry-After (Bitbucket does not promise one). */
  defaultPauseMs: number;
}

export const DEFAULT_BUDGET_POLICY: BudgetPolicy = {
  limitPerHour: 1000,
  reserve: { people: 0, automation: 100, sync: 300 },
  defaultPauseMs: 60_000,
};

export const MINUTE_MS = 60_000;
export const WINDOW_MS = 3_600_000;

/** One credential's spend over the rolling hour, as minute buckets. */
export interface CredentialWindow {
  /** minute → requests counted in that minute */
  buckets: Array<{ minute: number; count: number }>;
  pausedUntil: Date | null;
}

export type SpendDecision =
  | { ok: true; remainingAfter: number }
  | { ok: false; reason: 'paused' | 'low-budget'; retryAt: Date };

export function toMinute(at: Date): number {
  return Math.floor(at.getTime() / MINUTE_MS);
}

/**
 * A request counted in minute m happened somewhere in [m, m+1): it surely left Bitbucket's rolling
 * hour once (m+1) minutes + 1 hour have passed. Counting it until then errs on the safe side.
 */
export function toExpiry(minute: number): number {
  return (minute + 1) * MINUTE_MS + WINDOW_MS;
}

/** Requests of the window still inside the rolling hour at `now`. */
export function toUsedInWindow(window: CredentialWindow, now: Date): number {
  const t = now.getTime();
  return window.buckets.reduce((sum, b) => (toExpiry(b.minute) > t ? sum + b.count : sum), 0);
}

/**
 * Whether `lane` may spend `cost` requests of this credential now. People always may: a person must
 * never wait on or fail for the budget (the reserves keep room for them, and a 429 pauses only the lanes
 * below). Automation and sync wait out a pause, and wait when spending would dip into the reserve of the
 * lanes above them: until enough old requests have left the hour.
 */
export function decideSpend(window: CredentialWindow, lane: BudgetLane, cost: number, now: Date, policy: BudgetPolicy = DEFAULT_BUDGET_POLICY): SpendDecision {
  const used = toUsedInWindow(window, now);
  const remainingAfter = policy.limitPerHour - used - cost;
  if (lane === 'people') return { ok: true, remainingAfter };
  if (window.pausedUntil && window.pausedUntil.getTime() > now.getTime()) {
    return { ok: false, reason: 'paused', retryAt: window.pausedUntil };
  }
  const reserve = policy.reserve[lane];
  if (remainingAfter >= reserve) return { ok: true, remainingAfter };
  // Walk the buckets oldest first until enough has expired to fit `cost` above the reserve.
  const t = now.getTime();
  let toFree = reserve - remainingAfter;
  const live = window.buckets.filter((b) => toExpiry(b.minute) > t).sort((a, b) => a.minute - b.minute);
  for (const b of live) {
    toFree -= b.count;
    if (toFree <= 0) return { ok: false, reason: 'low-budget', retryAt: new Date(toExpiry(b.minute)) };
  }
  // The cost alone is larger than the lane may ever spend: retry after the whole hour.
  return { ok: false, reason: 'low-budget', retryAt: new Date(t + WINDOW_MS) };
}
