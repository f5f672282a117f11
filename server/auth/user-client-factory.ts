import { createBitbucketClient, type BitbucketClient } from '../bitbucket';
import type { Logger } from '../log';
import type { Tenant } from '../host';
import type { UserConnectionStore } from './user-connection-store';
import { MissingScopesError, NotConnectedError, ReconnectRequiredError } from './errors';
import { missingScopes } from '../bitbucket/scopes';
import type { TokenVault } from './token-vault';

export interface UserClientFactory {
  /**
   * A REST client acting as this person with their own OAuth token. Checks first that their
   * connection grants `requiredScopes` (through the implication lattice).
   */
  forUser(tenant: Tenant, userUuid: string, requiredScopes: string[], options?: UserClientOptions): Promise<BitbucketClient>;
}

export interface UserClientOptions {
  /** Rewords a token failure met mid-request (refresh refused, connection deleted) in the caller's terms. */
  mapTokenError?: (err: unknown) => unknown;
  /** Logged with every request. */
  deliveryId?: string;
}

export function createUserClientFactory(deps: { vault: TokenVault; connections: UserConnectionStore; fetch: typeof fetch; logger: Logger }): UserClientFactory {
  return {
    async forUser(tenant, userUuid, requiredScopes, options = {}) {
      const connection = await deps.connections.get(tenant.clientKey, userUuid);
      if (!connection) throw new NotConnectedError(requiredScopes);
      if (connection.status === 'needs_reconnect') throw new ReconnectRequiredError(requiredScopes);
      const missing = missingScopes(connection.scopes, requiredScopes);
      if (missing.length > 0) throw new MissingScopesError(missing, connection.scopes);
      return createBitbucketClient({
        baseApiUrl: tenant.baseApiUrl,
        auth: {
          kind: 'bearer',
          getAccessToken: () =>
            deps.vault.getAccessToken(tenant, userUuid).catch((err: unknown) => {
              throw options.mapTokenError ? options.mapTokenError(err) : err;
            }),
        },
        fetch: deps.fetch,
        logger: deps.logger,
        requestContext: { tenant: tenant.clientKey, deliveryId: options.deliveryId },
      });
    },
  };
}
