import { PermanentError, RetryableError } from '../errors';

export type ForgeTokenErrorCode = 'FIT_MISSING' | 'FIT_MALFORMED' | 'FIT_ALGORITHM' | 'FIT_SIGNATURE' | 'FIT_EXPIRED' | 'FIT_CLAIMS' | 'FIT_AUDIENCE' | 'FIT_ISSUER';

/**
 * The Forge Invocation Token is missing or does not verify. The only refusal answered 401: Forge
 * reserves 401 for "the remote did not accept the FIT" (https://developer.atlassian.com/platform/forge/remote/essentials/).
 */
export class ForgeTokenError extends PermanentError<ForgeTokenErrorCode> {
  constructor(code: ForgeTokenErrorCode, message: string) {
    super(code, 401, message);
  }
}

export type ForgeRefusedErrorCode =
  | 'FORGE_NOT_INSTALLED'
  | 'FORGE_OTHER_INSTALLATION'
  | 'FORGE_OTHER_APP'
  | 'FORGE_NO_APP_TOKEN'
  | 'FORGE_NO_USER'
  | 'FORGE_UNKNOWN_MODULE'
  | 'FORGE_NO_SESSION';

/** A valid FIT asking for something Bosun refuses: always 403 (never 401, which Forge reserves for the token). */
export class ForgeRefusedError extends PermanentError<ForgeRefusedErrorCode> {
  constructor(code: ForgeRefusedErrorCode, message: string) {
    super(code, 403, message);
  }
}

/** A Forge request body that is not what its endpoint takes (400). */
export class ForgeRequestError extends PermanentError<'FORGE_BAD_REQUEST'> {
  constructor(message: string) {
    super('FORGE_BAD_REQUEST', 400, message);
  }
}

/** How often manifest.yml's scheduled trigger (bosun-token-refresh, interval fiveMinute) brings a fresh app token. */
export const FORGE_TOKEN_REFRESH_MS = 5 * 60_000;

/**
 * Background work for a Forge installation (a job, a CI report) found no current app system token: Forge hands a
 * remote one only with an invocation, and the scheduled trigger brings the next within five minutes. Retryable, so a
 * job waits for it instead of being dead-lettered; 503 if it ends a request.
 */
export class ForgeAppTokenPendingError extends RetryableError<'FORGE_APP_TOKEN_PENDING'> {
  constructor() {
    super('FORGE_APP_TOKEN_PENDING', 503, FORGE_TOKEN_REFRESH_MS, 'No current Forge app token for this installation yet; the next Forge invocation or scheduled trigger brings one');
  }
}
