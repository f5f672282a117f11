import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import {
  JobAbortedError,
  PermanentJobError,
  RetryableJobError,
  createMemoryJobQueue,
  createSqlJobQueue,
  createWorker,
  toJobFailure,
  type JobContext,
  type JobQueue,
  type JobQueueOptions,
  type Worker,
  type WorkerOptions,
} from '../../../server/jobs';
import { createLogger } from '../../../server/log';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase } from './open-test-database';

const logLines: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('waitFor timed out');
    await sleep(10);
  }
}

/** Resolves when the signal fires, rejecting with its reason, as a well-behaved handler would. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));

interface Backend {
  name: string;
  open(): Promise<{ createQueue(opts?: JobQueueOptions): JobQueue; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'memory',
    open: async () => {
      // Workers of one test share one store, as processes share a database.
      let shared: JobQueue | null = null;
      return { createQueue: (opts) => (shared ??= createMemoryJobQueue(opts)), close: async () => {} };
    },
  },
  ...testDatabaseKinds().map(
    (kind): Backend => ({
      name: kind,
      open: async () => {
        const opened = await openTestDatabase(kind);
        return { createQueue: (opts) => createSqlJobQueue(opened.db, opts), close: opened.close };
      },
    }),
  ),
];

describe.each(backends)('worker ($name)', (backend) => {
  let store: Awaited<ReturnType<Backend['open']>>;
  let queue: JobQueue;
  const workers: Worker[] = [];
  let tenant = '';
  let n = 0;

  beforeAll(async () => {
    store = await backend.open();
    queue = store.createQueue();
  });
  afterAll(async () => store.close());
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 0 })));
  });

  const newTenant = () => (tenant = `tenant-${++n}-${Math.random().toString(36).slice(2, 8)}`);
  const make = (opts: Partial<WorkerOptions> & Pick<WorkerOptions, 'handlers'>): Worker => {
    const w = createWorker({ queue, concurrency: 2, pollIntervalMs: 10, leaseMs: 5_000, logger, ...opts });
    workers.push(w);
    return w;
  };
  const enqueue = async (type: string, payload: unknown = {}, extra: { maxAttempts?: number } = {}) =>
    (await queue.enqueue({ clientKey: tenant, type, payload, ...extra })).job;
  const states = async () => (await queue.list(tenant, { limit: 500 })).map((j) => j.state);

  it('runs jobs in the background with at most `concurrency` at once', async () => {
    newTenant();
    const type = `count:${tenant}`;
    let active = 0;
    let peak = 0;
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) await enqueue(type, { i });
    const worker = make({
      concurrency: 3,
      types: [type],
      handlers: {
        [type]: async (job) => {
          active += 1;
          peak = Math.max(peak, active);
          await sleep(15);
          seen.push((job.payload as { i: number }).i);
          active -= 1;
          return { i: (job.payload as { i: number }).i };
        },
      },
    });
    worker.start();
    await waitFor(async () => (await states()).every((s) => s === 'succeeded'));
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const jobs = await queue.list(tenant, { limit: 100 });
    expect(jobs.every((j) => j.attempts === 1 && (j.result as { i: number }).i === (j.payload as { i: number }).i)).toBe(true);
  });

  it('a job enqueued in this process, through any queue on its store, starts at once, not after the poll interval', async () => {
    newTenant();
    const type = `wake:${tenant}`;
    const startedAt = new Map<number, number>();
    // A poll this long cannot start the second job within the test: only the enqueue's signal can.
    const worker = make({
      pollIntervalMs: 60_000,
      types: [type],
      handlers: { [type]: async (job) => void startedAt.set((job.payload as { i: number }).i, Date.now()) },
    });
    await enqueue(type, { i: 0 });
    worker.start();
    await waitFor(async () => (await states()).every((s) => s === 'succeeded'));
    // The worker claimed one job with a slot to spare: it is sleeping out its poll now (or about to).
    await sleep(50);
    // Another queue on the same store, as the composition root opens several (SQL: same database; memory: same store).
    const enqueuedAt = Date.now();
    await store.createQueue().enqueue({ clientKey: tenant, type, payload: { i: 1 } });
    await waitFor(() => startedAt.has(1), 5_000);
    expect(startedAt.get(1)! - enqueuedAt).toBeLessThan(2_000);
    // A job due later still waits for its time.
    await queue.enqueue({ clientKey: tenant, type, payload: { i: 3 }, runAt: new Date(Date.now() + 60_000) });
    await sleep(100);
    expect(startedAt.has(3)).toBe(false);
    expect((await queue.list(tenant, { limit: 10 })).filter((j) => j.state === 'succeeded')).toHaveLength(2);
  });

  it('graceful stop waits for quick jobs, aborts and releases slow ones, which the next worker runs once', async () => {
    newTenant();
    const slowType = `slow:${tenant}`;
    const quickType = `quick:${tenant}`;
    const slow = await enqueue(slowType);
    const quick = await enqueue(quickType);
    let slowStarted = false;
    let abortReason: unknown = null;
    const first = make({
      types: [slowType, quickType],
      handlers: {
        [slowType]: async (_job, ctx) => {
          slowStarted = true;
          ctx.signal.addEventListener('abort', () => (abortReason = ctx.signal.reason));
          return untilAborted(ctx.signal);
        },
        [quickType]: async () => {
          await sleep(30);
          return 'quick done';
        },
      },
    });
    first.start();
    await waitFor(() => slowStarted && first.inFlight === 2);
    await first.stop({ graceMs: 150 });
    expect(first.inFlight).toBe(0);
    expect(abortReason).toBeInstanceOf(JobAbortedError);
    expect(abortReason).toMatchObject({ reason: 'shutdown' });
    expect(await queue.get(tenant, quick.id)).toMatchObject({ state: 'succeeded', result: 'quick done' });
    expect(await queue.get(tenant, slow.id)).toMatchObject({ state: 'queued', attempts: 0, lockedBy: null });

    let runs = 0;
    const second = make({ types: [slowType], handlers: { [slowType]: async () => ++runs } });
    expect(await second.drain()).toBe(1);
    expect(runs).toBe(1);
    expect(await queue.get(tenant, slow.id)).toMatchObject({ state: 'succeeded', attempts: 1, result: 1 });
  });

  it('dead-letters permanent failures and unknown types; retries other errors with their delay', async () => {
    newTenant();
    const t = (s: string) => `${s}:${tenant}`;
    const permanent = await enqueue(t('permanent'));
    const flagged = await enqueue(t('flagged'));
    const unknown = await enqueue(t('unknown'));
    const transient = await enqueue(t('transient'));
    const limited = await enqueue(t('limited'));
    const worker = make({
      types: [t('permanent'), t('flagged'), t('unknown'), t('transient'), t('limited')],
      handlers: {
        [t('permanent')]: async () => {
          throw new PermanentJobError('repository was deleted');
        },
        [t('flagged')]: async () => {
          throw Object.assign(new Error('bad request'), { retryable: false });
        },
        [t('transient')]: async () => {
          throw new Error('socket hang up');
        },
        [t('limited')]: async () => {
          throw new RetryableJobError('rate limited', 90_000);
        },
      },
    });
    const before = Date.now();
    expect(await worker.drain()).toBe(5);
    expect(await queue.get(tenant, permanent.id)).toMatchObject({ state: 'dead', attempts: 1, lastError: 'PermanentJobError: repository was deleted' });
    expect(await queue.get(tenant, flagged.id)).toMatchObject({ state: 'dead', attempts: 1, lastError: 'Error: bad request' });
    expect(await queue.get(tenant, unknown.id)).toMatchObject({ state: 'dead', lastError: `No handler registered for job type "${t('unknown')}"` });
    const retried = await queue.get(tenant, transient.id);
    expect(retried).toMatchObject({ state: 'queued', attempts: 1, lastError: 'Error: socket hang up' });
    expect(retried!.runAt.getTime()).toBeGreaterThan(before);
    const later = await queue.get(tenant, limited.id);
    expect(later!.runAt.getTime() - Date.now()).toBeGreaterThan(85_000);
    expect(logLines.some((l) => l.includes('No handler for job type'))).toBe(true);
  });

  it('heartbeats keep a long job leased; a handler that loses its lease is aborted and its outcome dropped', async () => {
    newTenant();
    const longType = `long:${tenant}`;
    const long = await enqueue(longType);
    const worker = make({ leaseMs: 150, types: [longType], handlers: { [longType]: async () => (await sleep(500), 'long done') } });
    worker.start();
    await waitFor(async () => (await queue.get(tenant, long.id))?.state === 'running');
    const start = Date.now();
    while (Date.now() - start < 400) {
      expect(await queue.claim('thief', { types: [longType], limit: 1, leaseMs: 1_000 })).toEqual([]);
      await sleep(50);
    }
    await waitFor(async () => (await queue.get(tenant, long.id))?.state === 'succeeded');
    expect(await queue.get(tenant, long.id)).toMatchObject({ attempts: 1, result: 'long done' });

    // A handler whose explicit heartbeat finds the lease gone.
    const lostType = `lost:${tenant}`;
    const lost = await enqueue(lostType);
    let seen: unknown = null;
    const victim = make({
      leaseMs: 5_000,
      heartbeatIntervalMs: 60_000,
      types: [lostType],
      handlers: {
        [lostType]: async (_job, ctx: JobContext) => {
          await queue.release(lost.id, victim.workerId); // stands in for a takeover after expiry
          await queue.claim('usurper', { types: [lostType], limit: 1, leaseMs: 60_000 });
          try {
            await ctx.heartbeat();
          } catch (err) {
            seen = err;
          }
          expect(ctx.signal.aborted).toBe(true);
          return 'stale result';
        },
      },
    });
    await victim.runOnce();
    expect(seen).toMatchObject({ code: 'JOB_LEASE_LOST' });
    expect(await queue.get(tenant, lost.id)).toMatchObject({ state: 'running', lockedBy: 'usurper', result: null });
  });

  it('heartbeats that keep failing until the lease runs out abort the handler and drop its outcome', async () => {
    newTenant();
    const type = `flaky-db:${tenant}`;
    const job = await enqueue(type);
    // The database refuses every heartbeat (busy mid-burst); the worker's clock is moved past the lease by hand.
    const failing: JobQueue = { ...queue, heartbeat: async () => Promise.reject(new Error('SQLITE_BUSY: database is locked')) };
    let clockMs = Date.now();
    let started = false;
    let reason: unknown = null;
    const worker = createWorker({
      queue: failing, concurrency: 1, pollIntervalMs: 10, leaseMs: 1_000, heartbeatIntervalMs: 10, logger, now: () => new Date(clockMs), types: [type],
      handlers: {
        [type]: async (_job, ctx) => {
          started = true;
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
          reason = ctx.signal.reason;
          return 'late result';
        },
      },
    });
    workers.push(worker);
    const ran = worker.runOnce();
    await waitFor(() => started);
    // Failures within the lease are only warned about: the handler goes on.
    await sleep(50);
    expect(reason).toBeNull();
    clockMs += 5_000;
    await ran;
    expect(reason).toMatchObject({ code: 'JOB_ABORTED', reason: 'lease-lost' });
    expect(await queue.get(tenant, job.id)).toMatchObject({ state: 'running', result: null, attempts: 1 });
  });
});

describe('toJobFailure', () => {
  it('maps typed and duck-typed errors', () => {
    expect(toJobFailure(new PermanentJobError('gone'))).toEqual({ message: 'PermanentJobError: gone', retryable: false });
    expect(toJobFailure(new RetryableJobError('slow down', 1_500))).toEqual({ message: 'RetryableJobError: slow down', retryable: true, retryAfterMs: 1_500 });
    expect(toJobFailure(Object.assign(new Error('429'), { retryAfterMs: null }))).toEqual({ message: 'Error: 429', retryable: true });
    expect(toJobFailure('boom')).toEqual({ message: 'Non-error thrown: boom', retryable: true });
  });

  it('runOnce and drain claim nothing from an empty queue', async () => {
    const worker = createWorker({ queue: createMemoryJobQueue(), handlers: {}, concurrency: 1, pollIntervalMs: 10, leaseMs: 1_000, logger });
    expect(await worker.runOnce()).toBe(0);
    expect(await worker.drain()).toBe(0);
  });
});
