import { describe, expect, it } from 'vitest';
import { createQueueCi, createSimulatedClock } from '../../sandbox/queue-ci';

describe('sandbox queue CI on a simulated clock', () => {
  it('reports after the configured duration, in time order, without real waiting', () => {
    const clock = createSimulatedClock(new Date('2026-12-01T09:00:00.000Z'));
    const ci = createQueueCi({ durationMs: 20 * 60_000, after: clock.after });
    const seen: Array<[string, string]> = [];
    ci.run('c1', ['1'], (r) => seen.push([r.commit, clock.now().toISOString()]));
    clock.after(5 * 60_000, () => ci.run('c2', ['2'], (r) => seen.push([r.commit, clock.now().toISOString()])));
    expect(clock.runUntilIdle()).toBe(3);
    expect(seen).toEqual([['c1', '2026-12-01T09:20:00.000Z'], ['c2', '2026-12-01T09:25:00.000Z']]);
    expect(ci.runs).toBe(2);
  });

  it('fails a change whenever included, and a conflicting pair only together', () => {
    const ci = createQueueCi({ durationMs: 1, failing: ['7'], conflicting: [['1', '3']], after: () => {} });
    expect(ci.decide('a', ['1', '2']).passed).toBe(true);
    expect(ci.decide('b', ['3', '4']).passed).toBe(true);
    expect(ci.decide('c', ['1', '2', '3'])).toEqual({ commit: 'c', passed: false, reason: 'tests fail with 1 and 3 together' });
    expect(ci.decide('d', ['7'])).toEqual({ commit: 'd', passed: false, reason: 'tests fail with 7' });
  });

  it('draws flaky failures from its seed: the same seed fails the same runs, the rate holds', () => {
    const draws = (seed: number) => {
      const ci = createQueueCi({ durationMs: 1, flakyRate: 0.2, seed, after: () => {} });
      return Array.from({ length: 1000 }, (_, i) => ci.decide(`c${i}`, []).passed);
    };
    expect(draws(5)).toEqual(draws(5));
    expect(draws(5)).not.toEqual(draws(6));
    const failures = draws(5).filter((p) => !p).length;
    expect(failures).toBeGreaterThan(150);
    expect(failures).toBeLessThan(250);
  });
});
