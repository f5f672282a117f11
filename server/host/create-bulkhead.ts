import { RetryableError } from '../errors';
/**
 * At most `concurrency` calls of one kind in progress per process; the rest wait their turn as
 * promises, and past `maxWaiting` a caller is refused at once with 503 + Retry-After.
 *
 * Why (measured, docs/architecture.md "Bursts of installs"): a first `installed` is signed with the
 * secret it carries, so anyone can send a burst of them. Each costs ~3 ms of CPU (JWT, schema, seal,
 * upsert and read-back); 32 at once, all in flight together, kept the event loop busy for ~100 ms
 * and every webhook that arrived meanwhile waited for all of them. Taken a few at a time, a webhook
 * waits for at most one install's step, and the burst still finishes in a few hundred ms.
 */
export interface Bulkhead {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Calls in progress and waiting (metrics and tests). */
  load(): { active: number; waiting: number };
}

export class BulkheadFullError extends RetryableError<'OVERLOADED'> {
  declare readonly retryAfterMs: number;
  constructor(what: string, retryAfterMs: number) {
    super('OVERLOADED', 503, retryAfterMs, `Bosun is handling too many ${what} at once; try again in a moment`);
  }
}

export function createBulkhead(opts: { what: string; concurrency: number; maxWaiting: number; retryAfterMs?: number }): Bulkhead {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new Error('A bulkhead needs a concurrency of at least 1');
  const waiting: Array<() => void> = [];
  let active = 0;
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    async run(fn) {
      if (active >= opts.concurrency) {
        if (waiting.length >= opts.maxWaiting) throw new BulkheadFullError(opts.what, opts.retryAfterMs ?? 1000);
        // The slot is handed over by release(), so `active` stays counted for the waiter.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        active++;
      }
      try {
        return await fn();
      } finally {
        release();
      }
    },
    load: () => ({ active, waiting: waiting.length }),
  };
}
