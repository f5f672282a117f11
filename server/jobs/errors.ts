/** Base of every error the job queue and worker throw; callers branch on the literal `code`. */
export abstract class JobError extends Error {
  abstract readonly code: string;
  /** Queue trouble is Bosun's own: a 500 if one ever ends a request. */
  readonly httpStatus: number = 500;
  readonly retryable: boolean = true;
  readonly retryAfterMs: number | null = null;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The worker no longer holds this job's lease: another worker reclaimed it after the lease ran out,
 * or it was released. Whatever the stale worker did is not recorded.
 */
export class LeaseLostError extends JobError {
  readonly code = 'JOB_LEASE_LOST' as const;
  readonly jobId: string;
  readonly workerId: string;

  constructor(jobId: string, workerId: string) {
    super(`Job ${jobId} is not leased to worker ${workerId} any more`);
    this.jobId = jobId;
    this.workerId = workerId;
  }
}

/** Enqueue input that can never become a job (empty type, payload that is not JSON, …). */
export class InvalidJobError extends JobError {
  readonly code = 'JOB_INVALID' as const;
  override readonly retryable = false;
}

/** Thrown by a handler when retrying cannot help: the job goes straight to dead. */
export class PermanentJobError extends JobError {
  readonly code = 'JOB_PERMANENT' as const;
  override readonly retryable = false;
}

/** Thrown by a handler to ask for a retry at a given delay (a rate limit's Retry-After, say). */
export class RetryableJobError extends JobError {
  readonly code = 'JOB_RETRYABLE' as const;
  override readonly retryable = true;
  override readonly retryAfterMs: number | null;

  constructor(message: string, retryAfterMs: number | null = null, options?: ErrorOptions) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The reason a handler's AbortSignal fires: the worker is shutting down, or the lease was lost. */
export class JobAbortedError extends JobError {
  readonly code = 'JOB_ABORTED' as const;
  readonly reason: 'shutdown' | 'lease-lost';

  constructor(jobId: string, reason: 'shutdown' | 'lease-lost') {
    super(reason === 'shutdown' ? `Job ${jobId} aborted: the worker is shutting down` : `Job ${jobId} aborted: its lease was lost`);
    this.reason = reason;
  }
}
