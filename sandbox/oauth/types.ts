/** OAuth 2.0 server state of the sandbox (REFERENCE.md §8). Plain data kept in SandboxState.oauth. */

export interface OAuthConsumer {
  key: string;
  secret: string;
  name: string;
  description: string;
  /** Bitbucket consumers have exactly one callback URL; redirect_uri must be it or a sub-path of it. */
  callbackUrl: string;
  /** What was ticked on the consumer; checks go through the scope lattice. */
  scopes: string[];
  /** Private consumers may use client_credentials, acting as their owner. */
  private: boolean;
  ownerNickname: string | null;
  createdOn: string;
}

export interface OAuthConsumerInput {
  key: string;
  secret: string;
  name: string;
  callbackUrl: string;
  scopes: string[];
  private?: boolean;
  description?: string;
  /** Defaults to the first admin of the first workspace (alice in the seed). */
  ownerNickname?: string;
}

export interface OAuthCode {
  code: string;
  consumerKey: string;
  userUuid: string;
  /** redirect_uri as sent to /authorize, null when it was omitted (the callback URL was used). */
  redirectUri: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

/** Who a token acts as: a person (authorization_code, refresh, client_credentials) or a Connect installation (JWT grant). */
export type OAuthSubject = { kind: 'user'; userUuid: string } | { kind: 'app'; clientKey: string };

export interface OAuthAccessToken {
  token: string;
  consumerKey: string | null;
  subject: OAuthSubject;
  scopes: string[];
  expiresAt: number;
}

export interface OAuthRefreshToken {
  token: string;
  consumerKey: string;
  userUuid: string;
  scopes: string[];
  /** Unused refresh tokens expire (3 months since May 2026): measured from the last use. */
  lastUsedAt: number;
}

/** A consent: what the App authorizations page lists and revoke deletes. */
export interface OAuthGrant {
  consumerKey: string;
  userUuid: string;
  scopes: string[];
  grantedOn: string;
}

export interface OAuthState {
  consumers: OAuthConsumer[];
  codes: OAuthCode[];
  accessTokens: OAuthAccessToken[];
  refreshTokens: OAuthRefreshToken[];
  grants: OAuthGrant[];
}

export function createEmptyOAuthState(): OAuthState {
  return { consumers: [], codes: [], accessTokens: [], refreshTokens: [], grants: [] };
}

/** SandboxOptions fields of the OAuth server (SandboxOptions extends this). */
export interface OAuthSandboxOptions {
  /** Consumers added at start, after the built-in development consumer (which needs seed). */
  oauthConsumers?: OAuthConsumerInput[];
  /** Callback URL of the built-in development consumer (default http://localhost:3000/oauth/callback). */
  oauthDevCallbackUrl?: string;
  /** Since 4 May 2026 refresh tokens rotate on every use (default true); false: the old non-rotating behaviour. */
  oauthRotateRefreshTokens?: boolean;
  /** default 7200 */
  oauthAccessTokenTtlSeconds?: number;
  /** default 60 */
  oauthCodeTtlSeconds?: number;
  /** Unused refresh tokens die after this long (default 90 days). */
  oauthRefreshTokenIdleTtlSeconds?: number;
}

/** The token endpoint's success body. */
export interface OAuthTokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
  scopes: string;
  scope: string;
}
