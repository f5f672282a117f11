import { randomUUID } from 'node:crypto';
import { InvalidJobError } from './errors';

/**
 * `failed` is reserved: a failure is either retried (back to `queued`) or dead-lettered (`dead`),
 * so no adapter writes it today.
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'dead';

export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'dead'];

export interface EnqueueInput {
  clientKey: string;
  type: string;
  /** Anything JSON can carry; stored as JSON, so a Date comes back as a string. */
  payload: unknown;
  /** At most one job per (clientKey, dedupeKey), ever: a second enqueue returns the first job. */
  dedupeKey?: string;
  /** Not claimed before this time; defaults to now. */
  runAt?: Date;
  /** Default {@link DEFAULT_MAX_ATTEMPTS}. */
  maxAttempts?: number;
  /** Higher runs first among due jobs; default 0. */
  priority?: number;
}

export interface Job {
  id: string;
  clientKey: string;
  type: string;
  payload: unknown;
  /** Claims so far, including the one running now. */
  attempts: number;
  maxAttempts: number;
  priority: number;
  state: JobState;
  dedupeKey: string | null;
  runAt: Date;
  /** Worker id holding the lease while running, else null. */
  lockedBy: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  result: unknown;
}

export interface ClaimOptions {
  /** Only these types; all types when absent. */
  types?: string[];
  limit: number;
  leaseMs: number;
}

export interface JobFailure {
  message: string;
  retryable: boolean;
  /** Overrides the backoff (a Retry-After, say). */
  retryAfterMs?: number;
}

export interface ListJobsOptions {
  state?: JobState;
  type?: string;
  limit: number;
  offset?: number;
}

/**
 * The durable job queue. Every method but claim is scoped by the tenant (clientKey) or by the lease
 * (jobId + workerId): only the worker holding a job's lease may heartbeat, complete, fail or release it.
 */
export interface JobQueue {
  enqueue(input: EnqueueInput): Promise<{ job: Job; created: boolean }>;
  /**
   * Atomically takes up to `limit` due queued jobs (runAt <= now) and running jobs whose lease ran out
   * (their worker died), marks them running with a lease for `workerId` and counts the attempt.
   * A job whose lease ran out on its last attempt goes to dead instead.
   */
  claim(workerId: string, opts: ClaimOptions): Promise<Job[]>;
  /** Extends the lease to now + leaseMs; false when the worker no longer holds it. */
  heartbeat(jobId: string, workerId: string, leaseMs: number): Promise<boolean>;
  /** @throws LeaseLostError when the worker no longer holds the lease. */
  complete(jobId: string, workerId: string, result?: unknown): Promise<void>;
  /**
   * Retryable with attempts left: queued again at now + backoff (or retryAfterMs). Otherwise dead.
   * @throws LeaseLostError when the worker no longer holds the lease.
   */
  fail(jobId: string, workerId: string, error: JobFailure): Promise<Job>;
  /**
   * Graceful shutdown: queued again at once, and the attempt does not count.
   * @throws LeaseLostError when the worker no longer holds the lease.
   */
  release(jobId: string, workerId: string): Promise<void>;
  get(clientKey: string, jobId: string): Promise<Job | null>;
  /** Newest first. */
  list(clientKey: string, opts: ListJobsOptions): Promise<Job[]>;
  /** A dead job goes back to queued with its attempts reset; null when there is no such dead job. */
  retryDead(clientKey: string, jobId: string): Promise<Job | null>;
  /**
   * Calls `listener` after a job due at once was enqueued in this process (see due-signal.ts), so a
   * worker can claim it without waiting for its poll; returns the unsubscribe. Optional: without it
   * workers only poll.
   */
  onDue?(listener: () => void): () => void;
}

export interface RetryPolicy {
  /** Delay before the second attempt; doubles on each further one. */
  baseMs: number;
  maxMs: number;
}

export interface JobQueueOptions {
  now?: () => Date;
  retry?: Partial<RetryPolicy>;
  /** Jitter source in [0, 1); inject for deterministic tests. */
  random?: () => number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxMs: 15 * 60_000 };
export const MAX_LIST_LIMIT = 500;
/** lastError is for people; a stack trace's first few KB is plenty. */
export const MAX_ERROR_LENGTH = 4_000;
export const LEASE_EXPIRED_MESSAGE = 'Lease expired on the last attempt: the worker died or stopped heartbeating';

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries of jobs
 * that failed together spread out without ever retrying almost at once.
 */
export function getRetryDelayMs(attempts: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** Claim order shared with the SQL adapter: priority, then due time, then age. */
export function compareClaimOrder(a: Pick<Job, 'priority' | 'runAt' | 'createdAt' | 'id'>, b: typeof a): number {
  return (
    b.priority - a.priority ||
    a.runAt.getTime() - b.runAt.getTime() ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The values a new job starts with; shared by the adapters so they agree on defaults and validation. */
export interface NewJobValues {
  id: string;
  clientKey: string;
  type: string;
  payloadJson: string;
  maxAttempts: number;
  priority: number;
  dedupeKey: string | null;
  runAt: Date;
  createdAt: Date;
}

export function toNewJobValues(input: EnqueueInput, now: Date): NewJobValues {
  if (!input.clientKey) throw new InvalidJobError('A job needs a clientKey');
  if (!input.type || input.type.length > 128) throw new InvalidJobError('A job type must be 1 to 128 characters');
  if (input.dedupeKey !== undefined && (input.dedupeKey.length === 0 || input.dedupeKey.length > 255)) {
    throw new InvalidJobError('A dedupeKey must be 1 to 255 characters');
  }
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new InvalidJobError('maxAttempts must be a positive integer');
  const priority = input.priority ?? 0;
  if (!Number.isInteger(priority)) throw new InvalidJobError('priority must be an integer');
  if (input.runAt && Number.isNaN(input.runAt.getTime())) throw new InvalidJobError('runAt is not a valid date');
  let payloadJson: string | undefined;
  try {
    payloadJson = JSON.stringify(input.payload);
  } catch (err) {
    throw new InvalidJobError(`The payload of a ${input.type} job is not JSON-serialisable`, { cause: err });
  }
  if (payloadJson === undefined) throw new InvalidJobError(`The payload of a ${input.type} job is not JSON-serialisable`);
  return {
    id: randomUUID(),
    clientKey: input.clientKey,
    type: input.type,
    payloadJson,
    maxAttempts,
    priority,
    dedupeKey: input.dedupeKey ?? null,
    runAt: input.runAt ?? now,
    createdAt: now,
  };
}

export function toClaimLimit(opts: ClaimOptions): number {
  if (!Number.isInteger(opts.limit) || opts.limit < 0) throw new RangeError('claim limit must be a non-negative integer');
  if (!(opts.leaseMs > 0)) throw new RangeError('leaseMs must be positive');
  return opts.limit;
}

export function toListLimit(opts: ListJobsOptions): { limit: number; offset: number } {
  return { limit: Math.max(0, Math.min(MAX_LIST_LIMIT, Math.floor(opts.limit))), offset: Math.max(0, Math.floor(opts.offset ?? 0)) };
}

export function toErrorText(message: string): string {
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}

export function toResultJson(result: unknown): string | null {
  if (result === undefined || result === null) return null;
  return JSON.stringify(result) ?? null;
}
