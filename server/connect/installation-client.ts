import { createBitbucketClient, createSemaphore, type BitbucketClient, type Semaphore } from '../bitbucket';
import type { Logger } from '../log';
import type { TenantWithSecret } from '../storage';

export interface InstallationClientFactory {
  /** A REST client acting as the installation (Connect JWT per request). */
  forTenant(tenant: TenantWithSecret, context?: { deliveryId?: string }): BitbucketClient;
}

/** Requests in flight at once per tenant, across every client made for it in this process. */
const PER_TENANT_CONCURRENCY = 4;

export function createInstallationClientFactory(deps: { fetch: typeof fetch; logger: Logger }): InstallationClientFactory {
  // Clients are cheap and made per request; the limiter is what must be shared per tenant.
  const limiters = new Map<string, Semaphore>();
  const limiterFor = (clientKey: string) => {
    let limiter = limiters.get(clientKey);
    if (!limiter) {
      limiter = createSemaphore(PER_TENANT_CONCURRENCY);
      limiters.set(clientKey, limiter);
    }
    return limiter;
  };
  return {
    forTenant(tenant, context) {
      return createBitbucketClient({
        baseApiUrl: tenant.baseApiUrl,
        auth: { kind: 'connect-jwt', appKey: tenant.appKey, clientKey: tenant.clientKey, sharedSecret: tenant.sharedSecret },
        fetch: deps.fetch,
        logger: deps.logger,
        limiter: limiterFor(tenant.clientKey),
        requestContext: { tenant: tenant.clientKey, deliveryId: context?.deliveryId },
      });
    },
  };
}
