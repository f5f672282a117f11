import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET_POLICY, decideSpend, toMinute, toUsedInWindow, type BudgetPolicy } from '../../../server/budget';

const policy: BudgetPolicy = { limitPerHour: 100, reserve: { people: 0, automation: 10, sync: 30 }, defaultPauseMs: 60_000 };
const now = new Date('2026-03-01T12:00:30.000Z');
const minute = toMinute(now);

describe('decideSpend', () => {
  it('lets every lane spend while the hour has room above its reserve', () => {
    const window = { buckets: [{ minute: minute - 10, count: 50 }], pausedUntil: null };
    expect(decideSpend(window, 'sync', 1, now, policy)).toEqual({ ok: true, remainingAfter: 49 });
    expect(decideSpend(window, 'automation', 1, now, policy)).toEqual({ ok: true, remainingAfter: 49 });
    expect(decideSpend(window, 'people', 1, now, policy)).toEqual({ ok: true, remainingAfter: 49 });
  });

  it('keeps the reserve of the lanes above: sync stops first, automation next, people never', () => {
    const window = { buckets: [{ minute: minute - 50, count: 40 }, { minute: minute - 5, count: 40 }], pausedUntil: null };
    // 80 used: 20 left. Sync (reserve 30) waits until the 40 of minute-50 leave the hour.
    const sync = decideSpend(window, 'sync', 1, now, policy);
    expect(sync).toEqual({ ok: false, reason: 'low-budget', retryAt: new Date((minute - 50 + 1) * 60_000 + 3_600_000) });
    expect(decideSpend(window, 'automation', 1, now, policy).ok).toBe(true);
    const full = { buckets: [{ minute: minute - 5, count: 100 }], pausedUntil: null };
    expect(decideSpend(full, 'automation', 1, now, policy).ok).toBe(false);
    expect(decideSpend(full, 'people', 1, now, policy)).toEqual({ ok: true, remainingAfter: -1 });
  });

  it('counts a minute bucket until it has surely left the rolling hour', () => {
    const edge = { buckets: [{ minute: minute - 60, count: 7 }, { minute: minute - 61, count: 5 }], pausedUntil: null };
    // minute-60 happened at most 60.5 minutes ago but may have been 59.5: still counted; minute-61 has left.
    expect(toUsedInWindow(edge, now)).toBe(7);
  });

  it('pauses automation and sync until Retry-After, never people', () => {
    const until = new Date(now.getTime() + 30_000);
    const window = { buckets: [], pausedUntil: until };
    expect(decideSpend(window, 'automation', 1, now, policy)).toEqual({ ok: false, reason: 'paused', retryAt: until });
    expect(decideSpend(window, 'sync', 1, now, policy)).toEqual({ ok: false, reason: 'paused', retryAt: until });
    expect(decideSpend(window, 'people', 1, now, policy).ok).toBe(true);
    expect(decideSpend(window, 'automation', 1, new Date(until.getTime() + 1), policy).ok).toBe(true);
  });

  it('asks a cost no lane may ever spend to wait the whole hour', () => {
    const decision = decideSpend({ buckets: [], pausedUntil: null }, 'sync', 500, now, policy);
    expect(decision).toEqual({ ok: false, reason: 'low-budget', retryAt: new Date(now.getTime() + 3_600_000) });
  });

  it('defaults to Bitbucket\'s 1,000 per hour', () => {
    expect(DEFAULT_BUDGET_POLICY.limitPerHour).toBe(1000);
  });
});
