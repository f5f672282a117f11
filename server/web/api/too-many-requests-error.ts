/** One person sent more state-changing requests than Bosun accepts per window; always 429 with Retry-After. */
export class TooManyRequestsError extends Error {
  readonly code = 'TOO_MANY_REQUESTS' as const;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many changes in a short time; try again in ${retryAfterSeconds} s`);
    this.name = 'TooManyRequestsError';
  }
}
