import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One writer at a time per process, waiting in JavaScript rather than in SQLite.
 *
 * Why (measured, see docs/architecture.md "SQLite writes"): node-sqlite3 runs every statement on
 * libuv's thread pool (4 threads by default). A `BEGIN IMMEDIATE` that meets another writer sleeps in
 * SQLite's busy handler *on a pool thread*. With four or more transactions waiting for the write lock,
 * every pool thread sleeps, so the transaction that holds the lock cannot run its next statement or
 * its COMMIT: nothing progresses until the waiters time out with SQLITE_BUSY. Meanwhile every other
 * statement (health checks, reads) and every fs call queues behind them. 16 concurrent installs took
 * 86 s with 10 failures that way; with 64 pool threads, 0.75 s with none. The gate removes in-process
 * contention entirely: at most one of this process's transactions or writes is ever inside SQLite's
 * lock, and the rest wait as promises, costing no thread.
 */
export interface SqliteWriteGate {
  /**
   * Runs `fn` holding the gate; re-entrant within the same async call chain. `urgent` callers (the raw
   * writer's transactions: the webhook intake's batches and the mirror projection's) are let in before
   * the others waiting, but never more than URGENT_IN_A_ROW times in a row while another waits.
   */
  run<T>(fn: () => Promise<T>, opts?: { urgent?: boolean }): Promise<T>;
  /** True inside `run` (the caller already holds the gate). */
  isHeld(): boolean;
  /** How many callers are waiting (for metrics and tests). */
  waiting(): number;
}

/**
 * How many urgent holders may go ahead of a waiting background writer. A webhook's batch then waits for
 * the one write under way, not for every claim, heartbeat, job outcome and scheduler enqueue queued before
 * it (FIFO, each of those is a turn of SQLite's lock and a pool thread hand-off while webhooks wait), and
 * background work still gets a turn within a few batches under a steady stream of webhooks.
 */
export const URGENT_IN_A_ROW = 4;

export function createSqliteWriteGate(): SqliteWriteGate {
  const holder = new AsyncLocalStorage<true>();
  const urgent: Array<() => void> = [];
  const others: Array<() => void> = [];
  let busy = false;
  let urgentInARow = 0;
  const acquire = (isUrgent: boolean): Promise<void> => {
    if (!busy) {
      busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => (isUrgent ? urgent : others).push(resolve));
  };
  const release = () => {
    const takeUrgent = urgent.length > 0 && (others.length === 0 || urgentInARow < URGENT_IN_A_ROW);
    const next = takeUrgent ? urgent.shift() : others.shift();
    urgentInARow = takeUrgent ? urgentInARow + 1 : 0;
    if (next) next();
    else busy = false;
  };
  return {
    async run(fn, opts) {
      // A write issued from inside a transaction's callback (without passing the transaction)
      // must not wait for the gate its own transaction holds.
      if (holder.getStore()) return fn();
      await acquire(opts?.urgent === true);
      try {
        return await holder.run(true, fn);
      } finally {
        release();
      }
    },
    isHeld: () => holder.getStore() === true,
    waiting: () => urgent.length + others.length,
  };
}
