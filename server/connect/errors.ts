import { PermanentError } from '../errors';
export { HostAuthError } from '../host';

/** A lifecycle request that is authentic but not acceptable (wrong app, host not allowed, bad body). */
export class LifecycleRejectedError extends PermanentError<'LIFECYCLE_BAD_BODY' | 'LIFECYCLE_WRONG_APP' | 'LIFECYCLE_HOST_NOT_ALLOWED'> {
  constructor(code: 'LIFECYCLE_BAD_BODY' | 'LIFECYCLE_WRONG_APP' | 'LIFECYCLE_HOST_NOT_ALLOWED', message: string, httpStatus: 400 | 403) {
    super(code, httpStatus, message);
  }
}
