import type { Logger } from '../log';
import type { EnqueueInput, JobQueue } from './job-queue';

/** Recurring work for every tenant: one job of `type` per tenant per period of `everyMs`. */
export interface RecurringJob {
  type: string;
  everyMs: number;
  /** Below user-facing work by default (-10): the worker takes people's jobs first. */
  priority?: number;
}

export interface Scheduler {
  /** Enqueues this period's jobs that are not there yet; answers how many it created (0 when another instance did). */
  tick(): Promise<number>;
  start(): void;
  stop(): void;
}

export interface SchedulerOptions {
  queue: JobQueue;
  jobs: RecurringJob[];
  /** Every installed tenant's clientKey. */
  listTenants: () => Promise<string[]>;
  now: () => Date;
  logger: Logger;
  /** How often each instance looks; default 15 s. Every instance may tick: the dedupe key fires once. */
  tickMs?: number;
}

/** The key that makes a period's job unique per tenant, whichever instance enqueues it first. */
export function toPeriodKey(type: string, everyMs: number, at: Date): { dedupeKey: string; periodStart: Date } {
  const period = Math.floor(at.getTime() / everyMs);
  return { dedupeKey: `schedule:${type}:${period}`, periodStart: new Date(period * everyMs) };
}

/**
 * This period's job of `job` for one tenant, exactly as the scheduler enqueues it: anyone who wants
 * it now (the first sync on install) enqueues this, and the dedupe key keeps one of the two.
 */
export function toScheduledJob(job: RecurringJob, clientKey: string, at: Date): EnqueueInput {
  const { dedupeKey, periodStart } = toPeriodKey(job.type, job.everyMs, at);
  return {
    clientKey, type: job.type, payload: { periodStart: periodStart.toISOString() }, dedupeKey, runAt: periodStart,
    maxAttempts: 3, priority: job.priority ?? -10,
  };
}

/**
 * Fires each recurring job once per period however many instances run: every instance enqueues the
 * period's job with the same dedupe key, and the queue's unique (client_key, dedupe_key) keeps one. The
 * worker's claims (leases, SKIP LOCKED on PostgreSQL) then run it on one instance, once.
 */
export function createScheduler(opts: SchedulerOptions): Scheduler {
  const tickMs = opts.tickMs ?? 15_000;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<number> | null = null;

  const tick = async (): Promise<number> => {
    const at = opts.now();
    const tenants = await opts.listTenants();
    let created = 0;
    for (const job of opts.jobs) {
      for (const clientKey of tenants) {
        const result = await opts.queue.enqueue(toScheduledJob(job, clientKey, at));
        if (result.created) created++;
      }
    }
    return created;
  };

  return {
    tick,
    start() {
      if (timer) return;
      const run = () => {
        if (running) return;
        running = tick()
          .catch((err: unknown) => {
            opts.logger.warn('Scheduler tick failed; the next tick retries', { error: err instanceof Error ? err.name : 'unknown' });
            return 0;
          })
          .finally(() => {
            running = null;
          });
      };
      run();
      timer = setInterval(run, tickMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
