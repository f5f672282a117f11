export type ForgeTokenErrorCode = 'FIT_MISSING' | 'FIT_MALFORMED' | 'FIT_ALGORITHM' | 'FIT_SIGNATURE' | 'FIT_EXPIRED' | 'FIT_CLAIMS' | 'FIT_AUDIENCE' | 'FIT_ISSUER';

/**
 * The Forge Invocation Token is missing or does not verify. The only refusal answered 401: Forge
 * reserves 401 for "the remote did not accept the FIT" (https://developer.atlassian.com/platform/forge/remote/essentials/).
 */
export class ForgeTokenError extends Error {
  readonly httpStatus = 401;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(
    readonly code: ForgeTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ForgeTokenError';
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
export class ForgeRefusedError extends Error {
  readonly httpStatus = 403;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(
    readonly code: ForgeRefusedErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ForgeRefusedError';
  }
}

/** A Forge request body that is not what its endpoint takes (400). */
export class ForgeRequestError extends Error {
  readonly code = 'FORGE_BAD_REQUEST';
  readonly httpStatus = 400;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(message: string) {
    super(message);
    this.name = 'ForgeRequestError';
  }
}
