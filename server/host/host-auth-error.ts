import { PermanentError } from '../errors';

export type HostAuthErrorCode =
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
  | 'SESSION_SCOPE';

/** Any failure to authenticate a request from the host or one of our iframes; always answered with 401. */
export class HostAuthError extends PermanentError<HostAuthErrorCode> {
  constructor(code: HostAuthErrorCode, message: string) {
    super(code, 401, message);
  }
}
