/** Base of the budget's errors; callers branch on the literal `code`. */
export abstract class BudgetError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A lower lane may not spend now (paused after a 429, or the rest of the hour is kept for the lanes
 * above): the job should be retried at `retryAt`, which is not a failure.
 */
export class BudgetDeferredError extends BudgetError {
  readonly code = 'BUDGET_DEFERRED' as const;
  /** The error model's fields (server/errors/): a request that ends here is answered 503, a job tries again. */
  readonly httpStatus = 503;
  readonly retryable = true;
  /** Not known here without a clock; `retryAt` says when. */
  readonly retryAfterMs = null;
  readonly retryAt: Date;
  readonly reason: 'paused' | 'low-budget';

  constructor(input: { credential: string; lane: string; reason: 'paused' | 'low-budget'; retryAt: Date }) {
    super(`The ${input.lane} lane of ${input.credential} waits until ${input.retryAt.toISOString()} (${input.reason})`);
    this.retryAt = input.retryAt;
    this.reason = input.reason;
  }
}

/** The budget deferral behind `err`, also when a client wrapped it (a fetch that threw becomes a network error). */
export function findBudgetDeferral(err: unknown): BudgetDeferredError | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BudgetDeferredError) return e;
  }
  return null;
}
