/** Every timer the sandbox arms (pipelines, async merges) goes through here, so close() can clear them all. */
export interface Scheduler {
  after(ms: number, fn: () => void): void;
  /** Clears every pending timer. */
  clear(): void;
  readonly size: number;
}

export function createScheduler(onError: (err: unknown) => void): Scheduler {
  const timers = new Set<NodeJS.Timeout>();
  return {
    after(ms, fn) {
      const t = setTimeout(() => {
        timers.delete(t);
        try {
          fn();
        } catch (err) {
          onError(err);
        }
      }, ms);
      t.unref();
      timers.add(t);
    },
    clear() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
    get size() {
      return timers.size;
    },
  };
}
