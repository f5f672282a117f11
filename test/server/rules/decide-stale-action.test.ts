import { describe, expect, it } from 'vitest';
import { decideStaleAction, type StalePolicy } from '../../../server/rules';

const DAY = 86_400_000;
const start = Date.parse('2026-11-01T00:00:00Z');
const at = (days: number) => new Date(start + days * DAY);
const on: StalePolicy = { mode: 'on', remindAfterDays: 7, declineAfterDays: 5, decline: true };
const pr = (over: { lastActivityAt?: string; remindedAt?: string | null; state?: string } = {}) => ({
  state: over.state ?? 'OPEN',
  lastActivityAt: over.lastActivityAt ?? at(0).toISOString(),
  remindedAt: over.remindedAt ?? null,
});

describe('decideStaleAction with an injected clock', () => {
  it.each<[string, number, string | null, StalePolicy, string, boolean | null, string | null]>([
    ['active recently', 6.99, null, on, 'none', null, at(7).toISOString()],
    ['idle exactly N days: remind', 7, null, on, 'remind', true, at(12).toISOString()],
    ['reminded, M days not yet over', 11.99, at(7).toISOString(), on, 'none', null, at(12).toISOString()],
    ['reminded, M days over: decline', 12, at(7).toISOString(), on, 'decline', true, null],
    ['dry-run: the same decision, never executed', 12, at(7).toISOString(), { ...on, mode: 'dry-run' }, 'decline', false, null],
    ['dry-run reminder is not executed either', 8, null, { ...on, mode: 'dry-run' }, 'remind', false, at(13).toISOString()],
    ['policy does not decline: nothing after the reminder', 30, at(7).toISOString(), { ...on, decline: false }, 'none', null, null],
    ['rule off', 30, null, { ...on, mode: 'off' }, 'none', null, null],
  ])('%s', (_name, day, remindedAt, policy, action, execute, nextCheckAt) => {
    const d = decideStaleAction(pr({ remindedAt }), policy, at(day));
    expect(d.action).toBe(action);
    expect('execute' in d ? d.execute : null).toBe(execute);
    expect(d.nextCheckAt).toBe(nextCheckAt);
  });

  it('activity after the reminder starts the count again', () => {
    const d = decideStaleAction(pr({ lastActivityAt: at(9).toISOString(), remindedAt: at(7).toISOString() }), on, at(13));
    expect(d).toEqual({ action: 'none', reason: 'Active 4 days ago.', nextCheckAt: at(16).toISOString() });
    expect(decideStaleAction(pr({ lastActivityAt: at(9).toISOString(), remindedAt: at(7).toISOString() }), on, at(16)).action).toBe('remind');
  });

  it('closed pull requests are left alone', () => {
    expect(decideStaleAction(pr({ state: 'MERGED' }), on, at(100)).action).toBe('none');
  });
});
