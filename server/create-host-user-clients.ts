import { UserAuthorizationError, type UserClientFactory } from './auth';
import { createBitbucketClient } from './bitbucket';
import type { HostUserTokens } from './host';
import type { Logger } from './log';

/** A Forge tenant's person whose request did not carry their token (a job that outlived the request, say). */
export class HostUserTokenMissingError extends UserAuthorizationError {
  constructor(requiredScopes: string[]) {
    super(
      'OAUTH_NOT_CONNECTED',
      'not_connected',
      'Bitbucket hands Bosun your token only with an action you start on its page, for that action alone; start it again from the page',
      requiredScopes,
    );
  }
}

/**
 * People's clients for both hosts. Connect tenants: the person's OAuth connection from the vault.
 * Forge tenants: the `x-forge-oauth-user` token Forge Remote sent with the person's own request
 * (https://developer.atlassian.com/platform/forge/remote/calling-product-apis/), held by `tokens`
 * for that request only, never stored nor logged. Its scopes are the app's (manifest.yml's), which
 * Bitbucket checks itself; Bosun has no grant list to check them against.
 */
export function createHostUserClientFactory(deps: { oauth: UserClientFactory; tokens: HostUserTokens; fetch: typeof fetch; logger: Logger }): UserClientFactory {
  return {
    async forUser(tenant, userUuid, requiredScopes, options = {}) {
      if (tenant.host !== 'forge') return deps.oauth.forUser(tenant, userUuid, requiredScopes, options);
      if (deps.tokens.get(tenant.clientKey, userUuid) === null) throw new HostUserTokenMissingError(requiredScopes);
      return createBitbucketClient({
        baseApiUrl: tenant.baseApiUrl,
        auth: {
          kind: 'bearer',
          // Read at each call: a call after the request settled finds no token and fails, as it must.
          getAccessToken: async () => {
            const token = deps.tokens.get(tenant.clientKey, userUuid);
            if (token === null) {
              const missing = new HostUserTokenMissingError(requiredScopes);
              throw options.mapTokenError ? options.mapTokenError(missing) : missing;
            }
            return token;
          },
        },
        fetch: deps.fetch,
        logger: deps.logger,
        requestContext: { tenant: tenant.clientKey, deliveryId: options.deliveryId },
      });
    },
  };
}
