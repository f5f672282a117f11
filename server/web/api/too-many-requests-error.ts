import { RetryableError } from '../../errors';

/** One person sent more state-changing requests than Bosun accepts per window; always 429 with Retry-After. */
export class TooManyRequestsError extends RetryableError<'TOO_MANY_REQUESTS'> {
  declare readonly retryAfterMs: number;
  constructor(readonly retryAfterSeconds: number) {
    super('TOO_MANY_REQUESTS', 429, retryAfterSeconds * 1000, `Too many changes in a short time; try again in ${retryAfterSeconds} s`);
  }
}
