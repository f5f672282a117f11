import type { Logger } from '../log';
import type { ConnectionStatus, StoredConnection, UserConnectionStore } from './user-connection-store';
import { NotConnectedError, OAuthGrantError, ReconnectRequiredError } from './errors';
import type { OAuthTokenClient, TokenSet } from './oauth-token-client';
import type { SecretBox } from './secret-box';

/** Refresh this long before expiry, so a token never expires mid-request. */
const REFRESH_MARGIN_MS = 2 * 60 * 1000;

export interface BitbucketProfile {
  uuid: string;
  accountId: string | null;
  displayName: string;
  nickname: string | null;
  avatarUrl: string | null;
  email: string | null;
}

export interface ConnectionInfo {
  status: ConnectionStatus;
  profile: BitbucketProfile;
  scopes: string[];
  connectedAt: Date;
}

export interface TenantRef {
  clientKey: string;
}

export interface TokenVault {
  save(tenant: TenantRef, userUuid: string, profile: BitbucketProfile, tokens: TokenSet): Promise<void>;
  /** A valid access token for this person, refreshed first when it is about to expire. */
  getAccessToken(tenant: TenantRef, userUuid: string): Promise<string>;
  getConnection(clientKey: string, userUuid: string): Promise<ConnectionInfo | null>;
  disconnect(clientKey: string, userUuid: string): Promise<boolean>;
}

export const tokenContext = (clientKey: string, userUuid: string, kind: 'access' | 'refresh') =>
  `user_connections:${clientKey}:${userUuid}:${kind}`;

export interface TokenVaultDeps {
  connections: UserConnectionStore;
  box: SecretBox;
  /** null when no OAuth consumer is configured: stored tokens still work until they expire. */
  tokens: OAuthTokenClient | null;
  now: () => Date;
  logger: Logger;
}

export function createTokenVault(deps: TokenVaultDeps): TokenVault {
  // One refresh per person per process; the row lock makes it one across processes.
  const inFlight = new Map<string, Promise<string>>();
  const isFresh = (c: StoredConnection) => c.accessExpiresAt.getTime() - deps.now().getTime() > REFRESH_MARGIN_MS;
  const openAccess = (c: StoredConnection) => deps.box.open(c.accessTokenSealed, tokenContext(c.clientKey, c.userUuid, 'access'));

  type RefreshOutcome = { token: string } | { error: Error };
  const refresh = async (tenant: TenantRef, userUuid: string): Promise<string> => {
    // Errors that must persist (needs_reconnect) are returned, not thrown: a throw would roll back.
    const outcome = await deps.connections.withLock<RefreshOutcome>(tenant.clientKey, userUuid, async (current, update) => {
      if (!current) return { error: new NotConnectedError() };
      if (current.status === 'needs_reconnect') return { error: new ReconnectRequiredError() };
      // Someone else refreshed while we waited for the lock.
      if (isFresh(current)) return { token: openAccess(current) };
      if (!deps.tokens || !current.refreshTokenSealed) {
        await update({ status: 'needs_reconnect' });
        return { error: new ReconnectRequiredError() };
      }
      const refreshToken = deps.box.open(current.refreshTokenSealed, tokenContext(tenant.clientKey, userUuid, 'refresh'));
      let next: TokenSet;
      try {
        next = await deps.tokens.refresh(refreshToken);
      } catch (err) {
        if (err instanceof OAuthGrantError && (err.oauthError === 'invalid_grant' || err.oauthError === 'invalid_client')) {
          await update({ status: 'needs_reconnect' });
          deps.logger.warn('Refresh token refused; connection needs reconnecting', { tenant: tenant.clientKey, user: userUuid });
          return { error: new ReconnectRequiredError() };
        }
        throw err;
      }
      // The rotated refresh token is stored in the same transaction as the new access token.
      await update({
        accessTokenSealed: deps.box.seal(next.accessToken, tokenContext(tenant.clientKey, userUuid, 'access')),
        refreshTokenSealed: next.refreshToken
          ? deps.box.seal(next.refreshToken, tokenContext(tenant.clientKey, userUuid, 'refresh'))
          : current.refreshTokenSealed,
        accessExpiresAt: next.expiresAt,
        ...(next.scopes.length > 0 ? { scopes: next.scopes } : {}),
      });
      deps.logger.info('Refreshed a user access token', { tenant: tenant.clientKey, user: userUuid });
      return { token: next.accessToken };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.token;
  };

  return {
    async save(tenant, userUuid, profile, tokens) {
      await deps.connections.save(
        {
          clientKey: tenant.clientKey,
          userUuid,
          bitbucketUuid: profile.uuid,
          accountId: profile.accountId,
          displayName: profile.displayName,
          nickname: profile.nickname,
          avatarUrl: profile.avatarUrl,
          email: profile.email,
          accessTokenSealed: deps.box.seal(tokens.accessToken, tokenContext(tenant.clientKey, userUuid, 'access')),
          refreshTokenSealed: tokens.refreshToken ? deps.box.seal(tokens.refreshToken, tokenContext(tenant.clientKey, userUuid, 'refresh')) : null,
          accessExpiresAt: tokens.expiresAt,
          scopes: tokens.scopes,
          status: 'connected',
        },
        deps.now(),
      );
    },
    async getAccessToken(tenant, userUuid) {
      const current = await deps.connections.get(tenant.clientKey, userUuid);
      if (!current) throw new NotConnectedError();
      if (current.status === 'needs_reconnect') throw new ReconnectRequiredError();
      if (isFresh(current)) return openAccess(current);
      const key = `${tenant.clientKey}\n${userUuid}`;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = refresh(tenant, userUuid).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
    async getConnection(clientKey, userUuid) {
      const c = await deps.connections.get(clientKey, userUuid);
      if (!c) return null;
      return {
        status: c.status,
        scopes: c.scopes,
        connectedAt: c.createdAt,
        profile: {
          uuid: c.bitbucketUuid,
          accountId: c.accountId,
          displayName: c.displayName,
          nickname: c.nickname,
          avatarUrl: c.avatarUrl,
          email: c.email,
        },
      };
    },
    disconnect: (clientKey, userUuid) => deps.connections.delete(clientKey, userUuid),
  };
}
