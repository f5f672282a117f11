/** Any failure to authenticate a request from the host; always answered with 401. */
export class ConnectAuthError extends Error {
  constructor(
    readonly code:
      | 'JWT_MISSING'
      | 'JWT_MALFORMED'
      | 'JWT_ALGORITHM'
      | 'JWT_UNKNOWN_ISSUER'
      | 'JWT_SIGNATURE'
      | 'JWT_EXPIRED'
      | 'JWT_QSH'
      | 'JWT_AUDIENCE'
      | 'JWT_TENANT_MISMATCH'
      | 'SESSION_INVALID'
      | 'SESSION_EXPIRED'
      | 'SESSION_SCOPE',
    message: string,
  ) {
    super(message);
    this.name = 'ConnectAuthError';
  }
}

/** A lifecycle request that is authentic but not acceptable (wrong app, host not allowed, bad body). */
export class LifecycleRejectedError extends Error {
  constructor(
    readonly code: 'LIFECYCLE_BAD_BODY' | 'LIFECYCLE_WRONG_APP' | 'LIFECYCLE_HOST_NOT_ALLOWED',
    message: string,
    readonly status: 400 | 403,
  ) {
    super(message);
    this.name = 'LifecycleRejectedError';
  }
}
