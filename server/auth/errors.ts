import { PermanentError } from '../errors';

/** Why Bosun cannot act as this person yet; the UI turns each into a "Connect" prompt. */
export type ConnectReason = 'not_connected' | 'needs_reconnect' | 'missing_scopes';

export class UserAuthorizationError extends PermanentError<'OAUTH_NOT_CONNECTED' | 'OAUTH_RECONNECT_REQUIRED' | 'OAUTH_SCOPES_MISSING'> {
  constructor(
    code: 'OAUTH_NOT_CONNECTED' | 'OAUTH_RECONNECT_REQUIRED' | 'OAUTH_SCOPES_MISSING',
    readonly reason: ConnectReason,
    message: string,
    readonly requiredScopes: string[],
  ) {
    super(code, 403, message);
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
export class OAuthFlowError extends PermanentError<OAuthFlowErrorCode> {
  constructor(code: OAuthFlowErrorCode, message: string) {
    // 503 while no consumer is configured (the server's setup, not the person's doing), else 400.
    super(code, code === 'OAUTH_NOT_CONFIGURED' ? 503 : 400, message);
  }
}

type OAuthFlowErrorCode =
  | 'OAUTH_NOT_CONFIGURED'
  | 'OAUTH_STATE_INVALID'
  | 'OAUTH_STATE_EXPIRED'
  | 'OAUTH_BROWSER_MISMATCH'
  | 'OAUTH_DENIED'
  | 'OAUTH_EXCHANGE_FAILED'
  | 'OAUTH_WRONG_ACCOUNT'
  | 'OAUTH_ACCOUNT_LINKED'
  | 'OAUTH_TICKET_INVALID';

/** The token endpoint refused a grant (400 invalid_grant and friends). */
export class OAuthGrantError extends PermanentError<'OAUTH_GRANT_REFUSED'> {
  constructor(readonly oauthError: string, message: string) {
    // Bitbucket refused Bosun's grant: a bad gateway from the caller's side.
    super('OAUTH_GRANT_REFUSED', 502, message);
  }
}
