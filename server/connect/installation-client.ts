import { createBitbucketClient, type BitbucketClient } from '../bitbucket';
import type { Logger } from '../log';
import type { TenantWithSecret } from '../storage';

export interface InstallationClientFactory {
  /** A REST client acting as the installation (Connect JWT per request). */
  forTenant(tenant: TenantWithSecret, context?: { deliveryId?: string }): BitbucketClient;
}

export function createInstallationClientFactory(deps: { fetch: typeof fetch; logger: Logger }): InstallationClientFactory {
  return {
    forTenant(tenant, context) {
      return createBitbucketClient({
        baseApiUrl: tenant.baseApiUrl,
        auth: { kind: 'connect-jwt', appKey: tenant.appKey, clientKey: tenant.clientKey, sharedSecret: tenant.sharedSecret },
        fetch: deps.fetch,
        logger: deps.logger,
        requestContext: { tenant: tenant.clientKey, deliveryId: context?.deliveryId },
      });
    },
  };
}
