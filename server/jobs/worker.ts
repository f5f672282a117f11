import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Logger } from '../log';
import { JobAbortedError, LeaseLostError, PermanentJobError } from './errors';
import type { Job, JobFailure, JobQueue } from './job-queue';

export interface JobContext {
  /** Fires when the worker shuts down past its grace period or the lease is lost: stop and throw. */
  signal: AbortSignal;
  logger: Logger;
  /**
   * Extends the lease now (the worker also does so every leaseMs / 3 while the handler runs).
   * @throws LeaseLostError when another worker has taken the job over.
   */
  heartbeat(): Promise<void>;
}

export type JobHandler = (job: Job, ctx: JobContext) => Promise<unknown>;

export interface WorkerOptions {
  queue: JobQueue;
  /** By job type. A claimed job whose type has no handler goes to dead. */
  handlers: Record<string, JobHandler>;
  /** Most jobs running at once. */
  concurrency: number;
  /** Pause between claims when nothing was due; a job enqueued in this process wakes the worker at once (queue.onDue). */
  pollIntervalMs: number;
  leaseMs: number;
  logger: Logger;
  /** Unique per worker instance; the default names host, pid and a random suffix. */
  workerId?: string;
  /** Claim only these types (all types when absent, so a job nobody handles is dead-lettered, not left queued). */
  types?: string[];
  /** Default leaseMs / 3. */
  heartbeatIntervalMs?: number;
  /** The queue's clock (lease times are the queue's); default the system clock. */
  now?: () => Date;
}

export interface StopOptions {
  /** How long in-flight jobs may take to finish before they are aborted and released; default 10 s. */
  graceMs?: number;
}

export interface Worker {
  readonly workerId: string;
  /** Jobs running now. */
  readonly inFlight: number;
  /** Starts the claim loop in the background. */
  start(): void;
  /** Stops claiming, waits up to graceMs for in-flight jobs, then aborts and releases the rest. */
  stop(opts?: StopOptions): Promise<void>;
  /** Claims one batch (up to the free slots) and runs it to the end; resolves to the number of jobs claimed. */
  runOnce(): Promise<number>;
  /** Runs batches until nothing is due; resolves to the number of jobs run. */
  drain(): Promise<number>;
}

interface Run {
  job: Job;
  controller: AbortController;
  /** The handler returned or threw and its outcome is being written: too late to release. */
  settling: boolean;
  /** stop() released the job: its outcome must not be written. */
  released: boolean;
  done: Promise<void>;
}

/** How a handler's error becomes a queue failure: typed errors decide, anything else is retried. */
export function toJobFailure(error: unknown): JobFailure {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : `Non-error thrown: ${String(error)}`;
  const fields = typeof error === 'object' && error !== null ? (error as { retryable?: unknown; retryAfterMs?: unknown }) : {};
  const retryable = !(error instanceof PermanentJobError) && fields.retryable !== false;
  const retryAfterMs = typeof fields.retryAfterMs === 'number' && fields.retryAfterMs >= 0 ? fields.retryAfterMs : undefined;
  return retryAfterMs === undefined ? { message, retryable } : { message, retryable, retryAfterMs };
}

export function createWorker(opts: WorkerOptions): Worker {
  const { queue, handlers, logger, leaseMs, pollIntervalMs } = opts;
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new RangeError('Worker concurrency must be a positive integer');
  const concurrency = opts.concurrency;
  const workerId = opts.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const heartbeatIntervalMs = opts.heartbeatIntervalMs ?? Math.max(10, Math.floor(leaseMs / 3));
  const now = opts.now ?? (() => new Date());
  const log = logger.child({ workerId });
  const running = new Map<string, Run>();
  let state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let waitingForSlot = false;
  // The queue said a job is due since the last claim began (queue.onDue): the next sleep is skipped,
  // so a signal that arrives while a claim is in flight is not lost.
  let dueSignalled = false;
  let stopListening: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (dueSignalled && !waitingForSlot) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function execute(run: Run): Promise<void> {
    const { job, controller } = run;
    const jobLog = log.child({ jobId: job.id, jobType: job.type, clientKey: job.clientKey, attempt: job.attempts });
    const handler = Object.hasOwn(handlers, job.type) ? handlers[job.type] : undefined;
    if (!handler) {
      run.settling = true;
      jobLog.error('No handler for job type; dead-lettering the job', { jobType: job.type });
      await record(jobLog, job, () =>
        queue.fail(job.id, workerId, { message: `No handler registered for job type "${job.type}"`, retryable: false }),
      );
      return;
    }
    let lost = false;
    // Until when this worker knows it holds the lease: the claim's expiry, then each renewal's.
    let confirmedUntil = job.leaseExpiresAt?.getTime() ?? now().getTime() + leaseMs;
    const loseLease = () => {
      lost = true;
      controller.abort(new JobAbortedError(job.id, 'lease-lost'));
    };
    const beat = async (): Promise<void> => {
      if (lost || run.settling || run.released) return;
      const until = now().getTime() + leaseMs;
      if (await queue.heartbeat(job.id, workerId, leaseMs)) {
        confirmedUntil = until;
        return;
      }
      if (run.settling || run.released) return;
      loseLease();
      throw new LeaseLostError(job.id, workerId);
    };
    const timer = setInterval(() => {
      beat().catch((error: unknown) => {
        if (error instanceof LeaseLostError) {
          jobLog.warn('Job lease lost while its handler ran; aborting it', {});
        } else if (!lost && !run.settling && !run.released && now().getTime() >= confirmedUntil) {
          // Heartbeats that keep failing (a busy database mid-burst) let the lease run out: another
          // worker may claim the job now, so this run's outcome must not count either.
          loseLease();
          jobLog.warn('Job heartbeats failed until its lease ran out; aborting it', { error });
        } else {
          jobLog.warn('Job heartbeat failed; will try again', { error });
        }
      });
    }, heartbeatIntervalMs);
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await handler(job, { signal: controller.signal, logger: jobLog, heartbeat: beat }) };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      clearInterval(timer);
    }
    // Synchronously with the check above stop() could not have released it in between: JS runs one thing at a time.
    if (run.released) return;
    if (lost) {
      jobLog.warn('Job finished after its lease was lost; its outcome is dropped', {});
      return;
    }
    run.settling = true;
    if (outcome.ok) {
      const { value } = outcome;
      await record(jobLog, job, () => queue.complete(job.id, workerId, value));
    } else {
      const failure = toJobFailure(outcome.error);
      const after = await record(jobLog, job, () => queue.fail(job.id, workerId, failure));
      if (after?.state === 'dead') jobLog.error('Job failed for good; dead-lettered', { error: failure.message, attempts: after.attempts });
      else if (after) jobLog.warn('Job failed; will retry', { error: failure.message, runAt: after.runAt.toISOString() });
    }
  }

  async function record<T>(jobLog: Logger, job: Job, write: () => Promise<T>): Promise<T | undefined> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof LeaseLostError) jobLog.warn('Job outcome refused: another worker holds the lease now', { jobId: job.id });
      else jobLog.error('Could not record job outcome; the lease will expire and the job will run again', { error });
      return undefined;
    }
  }

  function track(job: Job): Run {
    const run: Run = { job, controller: new AbortController(), settling: false, released: false, done: Promise.resolve() };
    running.set(job.id, run);
    run.done = execute(run)
      .catch((error: unknown) => log.error('Job run crashed', { jobId: job.id, error }))
      .finally(() => {
        running.delete(job.id);
        if (waitingForSlot) wake?.();
      });
    return run;
  }

  async function claimBatch(): Promise<Job[]> {
    const free = concurrency - running.size;
    if (free <= 0) return [];
    return queue.claim(workerId, { types: opts.types, limit: free, leaseMs });
  }

  async function releaseAll(jobs: Job[]): Promise<void> {
    for (const job of jobs) {
      try {
        await queue.release(job.id, workerId);
        log.info('Released job on shutdown', { jobId: job.id, jobType: job.type });
      } catch (error) {
        log.warn('Could not release job on shutdown; it runs again when its lease expires', { jobId: job.id, error });
      }
    }
  }

  async function runLoop(): Promise<void> {
    while (state === 'running') {
      const free = concurrency - running.size;
      let claimed: Job[] = [];
      dueSignalled = false;
      try {
        claimed = await claimBatch();
      } catch (error) {
        log.error('Job claim failed; retrying after the poll interval', { error });
      }
      if (state !== 'running') {
        // Claimed while stop() began: hand them straight back.
        await releaseAll(claimed);
        break;
      }
      for (const job of claimed) track(job);
      if (running.size >= concurrency) {
        waitingForSlot = true;
        await sleep(pollIntervalMs);
        waitingForSlot = false;
      } else if (claimed.length === 0 || claimed.length < free) {
        await sleep(pollIntervalMs);
      }
      // A full batch with free slots left means more may be due: claim again at once.
    }
  }

  const worker: Worker = {
    workerId,
    get inFlight() {
      return running.size;
    },
    start() {
      if (state === 'running') return;
      if (state === 'stopping') throw new Error('Worker is stopping');
      state = 'running';
      // Enqueued in this process: claim now instead of after the poll (with every slot busy, the slot's wake claims).
      stopListening =
        queue.onDue?.(() => {
          dueSignalled = true;
          if (!waitingForSlot) wake?.();
        }) ?? null;
      log.info('Job worker started', { concurrency, leaseMs, pollIntervalMs });
      loop = runLoop().catch((error: unknown) => log.error('Job worker loop crashed', { error }));
    },
    async stop(stopOpts = {}) {
      const graceMs = stopOpts.graceMs ?? 10_000;
      if (state === 'running') state = 'stopping';
      stopListening?.();
      stopListening = null;
      wake?.();
      await loop;
      loop = null;
      const inFlight = [...running.values()];
      if (inFlight.length > 0) {
        let timer: NodeJS.Timeout | undefined;
        const finished = await Promise.race([
          Promise.allSettled(inFlight.map((r) => r.done)).then(() => true),
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), graceMs);
          }),
        ]);
        clearTimeout(timer);
        if (!finished) {
          const toRelease = [...running.values()].filter((r) => !r.settling);
          for (const run of toRelease) {
            run.released = true;
            run.controller.abort(new JobAbortedError(run.job.id, 'shutdown'));
          }
          await releaseAll(toRelease.map((r) => r.job));
          // Outcomes already being written finish quickly; handlers that ignore the signal are not awaited.
          await Promise.allSettled([...running.values()].filter((r) => r.settling).map((r) => r.done));
        }
      }
      state = 'stopped';
      log.info('Job worker stopped', {});
    },
    async runOnce() {
      const runs = (await claimBatch()).map(track);
      await Promise.all(runs.map((r) => r.done));
      return runs.length;
    },
    async drain() {
      let total = 0;
      for (;;) {
        const n = await worker.runOnce();
        if (n === 0) return total;
        total += n;
      }
    },
  };
  return worker;
}
