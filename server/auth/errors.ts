/** Why Bosun cannot act as this person yet; the UI turns each into a "Connect" prompt. */
export type ConnectReason = 'not_connected' | 'needs_reconnect' | 'missing_scopes';

export class UserAuthorizationError extends Error {
  readonly httpStatus = 403;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(
    readonly code: 'OAUTH_NOT_CONNECTED' | 'OAUTH_RECONNECT_REQUIRED' | 'OAUTH_SCOPES_MISSING',
    readonly reason: ConnectReason,
    message: string,
    readonly requiredScopes: string[],
  ) {
    super(message);
    this.name = 'UserAuthorizationError';
  }

  /** What the page needs to offer a "Connect" button. */
  get connectPrompt(): { reason: ConnectReason; requiredScopes: string[] } {
    return { reason: this.reason, requiredScopes: this.requiredScopes };
  }
}

export class NotConnectedError extends UserAuthorizationError {
  constructor(requiredScopes: string[] = []) {
    super('OAUTH_NOT_CONNECTED', 'not_connected', 'Connect your Bitbucket account so Bosun can act as you', requiredScopes);
  }
}

export class ReconnectRequiredError extends UserAuthorizationError {
  constructor(requiredScopes: string[] = []) {
    super('OAUTH_RECONNECT_REQUIRED', 'needs_reconnect', 'Bitbucket no longer accepts your connection; reconnect your Bitbucket account', requiredScopes);
  }
}

export class MissingScopesError extends UserAuthorizationError {
  constructor(required: string[], readonly grantedScopes: string[]) {
    super(
      'OAUTH_SCOPES_MISSING',
      'missing_scopes',
      `Bosun needs more permissions to do this as you (${required.join(', ')}); reconnect with more permissions`,
      required,
    );
  }
}

/** The authorization-code flow went wrong in a way the person should be told about. */
export class OAuthFlowError extends Error {
  /** 503 while no consumer is configured (the server's setup, not the person's doing), else 400. */
  readonly httpStatus: 400 | 503;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(
    readonly code:
      | 'OAUTH_NOT_CONFIGURED'
      | 'OAUTH_STATE_INVALID'
      | 'OAUTH_STATE_EXPIRED'
      | 'OAUTH_BROWSER_MISMATCH'
      | 'OAUTH_DENIED'
      | 'OAUTH_EXCHANGE_FAILED'
      | 'OAUTH_WRONG_ACCOUNT'
      | 'OAUTH_ACCOUNT_LINKED'
      | 'OAUTH_TICKET_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'OAuthFlowError';
    this.httpStatus = code === 'OAUTH_NOT_CONFIGURED' ? 503 : 400;
  }
}

/** The token endpoint refused a grant (400 invalid_grant and friends). */
export class OAuthGrantError extends Error {
  readonly code = 'OAUTH_GRANT_REFUSED' as const;
  /** Bitbucket refused Bosun's grant: a bad gateway from the caller's side. */
  readonly httpStatus = 502;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(readonly oauthError: string, message: string) {
    super(message);
    this.name = 'OAuthGrantError';
  }
}
