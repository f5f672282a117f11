/**
 * A clock that jumps: timers run in time order when asked, and `now()` is the time of the timer
 * running. Hours of CI pass in milliseconds, and the order of events never depends on load.
 */
export interface SimulatedClock {
  now(): Date;
  after(ms: number, fn: () => void): void;
  /** Runs the earliest timer (advancing the clock to it); false when none is left. */
  runNext(): boolean;
  /** Runs timers until none is left (or `maxTimers` ran: a guard against loops). */
  runUntilIdle(maxTimers?: number): number;
  readonly pending: number;
}

export function createSimulatedClock(start: Date): SimulatedClock {
  let current = start.getTime();
  let order = 0;
  const timers: Array<{ at: number; order: number; fn: () => void }> = [];
  const clock: SimulatedClock = {
    now: () => new Date(current),
    after(ms, fn) {
      timers.push({ at: current + Math.max(0, ms), order: order++, fn });
    },
    runNext() {
      if (timers.length === 0) return false;
      let best = 0;
      for (let i = 1; i < timers.length; i++) {
        const t = timers[i]!;
        const b = timers[best]!;
        if (t.at < b.at || (t.at === b.at && t.order < b.order)) best = i;
      }
      const [next] = timers.splice(best, 1);
      current = next!.at;
      next!.fn();
      return true;
    },
    runUntilIdle(maxTimers = 1_000_000) {
      let ran = 0;
      while (ran < maxTimers && clock.runNext()) ran++;
      return ran;
    },
    get pending() {
      return timers.length;
    },
  };
  return clock;
}
