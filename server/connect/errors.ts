export { HostAuthError } from '../host';

/** A lifecycle request that is authentic but not acceptable (wrong app, host not allowed, bad body). */
export class LifecycleRejectedError extends Error {
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(
    readonly code: 'LIFECYCLE_BAD_BODY' | 'LIFECYCLE_WRONG_APP' | 'LIFECYCLE_HOST_NOT_ALLOWED',
    message: string,
    readonly httpStatus: 400 | 403,
  ) {
    super(message);
    this.name = 'LifecycleRejectedError';
  }
}
