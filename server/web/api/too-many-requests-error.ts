/** One person sent more state-changing requests than Bosun accepts per window; always 429 with Retry-After. */
export class TooManyRequestsError extends Error {
  readonly code = 'TOO_MANY_REQUESTS' as const;
  readonly httpStatus = 429;
  readonly retryable = true;
  readonly retryAfterMs: number;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many changes in a short time; try again in ${retryAfterSeconds} s`);
    this.name = 'TooManyRequestsError';
    this.retryAfterMs = retryAfterSeconds * 1000;
  }
}
