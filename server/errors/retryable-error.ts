import type { ErrorFields } from './error-fields';

/**
 * The base of every error that trying again later, unchanged, may fix (a busy database, a full
 * bulkhead, a token still to come): the model's fields in one place, `retryable` true and the wait
 * when it is known. The subclass gives its literal code, the status Bosun answers and that wait.
 */
export abstract class RetryableError<C extends string = string> extends Error implements ErrorFields {
  readonly retryable = true;

  constructor(
    readonly code: C,
    readonly httpStatus: number,
    readonly retryAfterMs: number | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
