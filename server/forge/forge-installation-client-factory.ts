import { createBitbucketClient } from '../bitbucket';
import type { InstallationClientFactory } from '../host';
import type { Logger } from '../log';
import { ForgeAppTokenPendingError } from './errors';
import { isForgeTenant } from './forge-host-authenticator';
import type { ForgeTokenCache } from './forge-token-cache';

/**
 * Installation clients for both hosts: a Forge tenant acts as the app with the latest system token
 * Forge sent (at its `apiBaseUrl/2.0`), every other tenant through the Connect factory.
 */
export function createForgeAwareClientFactory(deps: {
  connect: InstallationClientFactory;
  tokens: ForgeTokenCache;
  appId: string;
  fetch: typeof fetch;
  logger: Logger;
}): InstallationClientFactory {
  return {
    forTenant(tenant, context) {
      if (!isForgeTenant(tenant, deps.appId)) return deps.connect.forTenant(tenant, context);
      return createBitbucketClient({
        baseApiUrl: tenant.baseApiUrl,
        auth: {
          kind: 'bearer',
          getAccessToken: async () => {
            const token = await deps.tokens.get(tenant.clientKey);
            if (!token) throw new ForgeAppTokenPendingError();
            return token;
          },
        },
        fetch: deps.fetch,
        logger: deps.logger,
        requestContext: { tenant: tenant.clientKey, ...(context?.deliveryId ? { deliveryId: context.deliveryId } : {}) },
      });
    },
  };
}
