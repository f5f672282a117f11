import type { ErrorFields } from './error-fields';

/**
 * The base of every error that trying again, unchanged, will not fix (a bad payload, a refused
 * token, an unknown id): the model's fields in one place, `retryable` false and no wait. The
 * subclass gives its literal code and the status Bosun answers; `name` is the subclass's own.
 */
export abstract class PermanentError<C extends string = string> extends Error implements ErrorFields {
  readonly retryable = false;
  readonly retryAfterMs = null;

  constructor(
    readonly code: C,
    readonly httpStatus: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
