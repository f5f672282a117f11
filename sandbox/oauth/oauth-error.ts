export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/** A token-endpoint error; the router turns it into Bitbucket's `{error, error_description}` body. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly code: OAuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OAuthError';
  }
}
