import { createBitbucketClient, createJwtGrantTokenSource, createSemaphore, type BitbucketAuth, type Semaphore } from '../bitbucket';
import type { Logger } from '../log';
import type { InstallationClientFactory, TenantWithSecret } from '../host';

/** Requests in flight at once per tenant, across every client this factory makes for it. */
const PER_TENANT_CONCURRENCY = 4;

/**
 * What every installation client factory of this process shares per tenant: the JWT grant's token.
 * Factories made for other fetches (each budget lane's) take the same state, so a sync job and a panel
 * read never trade a JWT for two tokens at once. The concurrency limiter stays per factory: a lane whose
 * requests wait for the rate budget inside their slots must not hold a person's requests back.
 */
export interface InstallationClientState {
  tokenSources: Map<string, { secret: string; getAccessToken: () => Promise<string> }>;
}

export function createInstallationClientState(): InstallationClientState {
  return { tokenSources: new Map() };
}

export function createInstallationClientFactory(deps: {
  fetch: typeof fetch;
  /** Shared with the process's other installation client factories (see InstallationClientState); its own when absent. */
  state?: InstallationClientState;
  logger: Logger;
  /** `connect-jwt` signs each request; `jwt-grant` trades a JWT for a cached access token. */
  strategy?: 'connect-jwt' | 'jwt-grant';
  /** Bitbucket's site from configuration: the JWT grant's token endpoint is there, not at an installation's baseUrl. */
  siteUrl: string;
}): InstallationClientFactory {
  // Clients are cheap and made per request; the limiter and the grant's token are what must be shared per tenant.
  const limiters = new Map<string, Semaphore>();
  const { tokenSources } = deps.state ?? createInstallationClientState();
  const authFor = (tenant: TenantWithSecret): BitbucketAuth => {
    if (deps.strategy !== 'jwt-grant') {
      return { kind: 'connect-jwt', appKey: tenant.appKey, clientKey: tenant.clientKey, sharedSecret: tenant.sharedSecret };
    }
    let source = tokenSources.get(tenant.clientKey);
    // A reinstall rotates the secret: the cached token source goes with the old one.
    if (!source || source.secret !== tenant.sharedSecret) {
      source = {
        secret: tenant.sharedSecret,
        getAccessToken: createJwtGrantTokenSource({ siteUrl: deps.siteUrl, appKey: tenant.appKey, clientKey: tenant.clientKey, sharedSecret: tenant.sharedSecret, fetch: deps.fetch }),
      };
      tokenSources.set(tenant.clientKey, source);
    }
    return { kind: 'bearer', getAccessToken: source.getAccessToken };
  };
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
        auth: authFor(tenant),
        fetch: deps.fetch,
        logger: deps.logger,
        limiter: limiterFor(tenant.clientKey),
        requestContext: { tenant: tenant.clientKey, deliveryId: context?.deliveryId },
      });
    },
  };
}
