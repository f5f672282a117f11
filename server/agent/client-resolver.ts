import type { BitbucketClient } from '../bitbucket';

/**
 * Where the executor gets a Bitbucket client for whoever a tool acts as. The real adapter
 * (server/auth/, the OAuth token vault) throws {@link NotConnectedError} when the user has no
 * stored token and {@link MissingScopesError} when their grant does not cover `requiredScopes`.
 */
export interface ClientResolver {
  forInstallation(clientKey: string, context?: ClientContext): Promise<BitbucketClient>;
  forUser(clientKey: string, userUuid: string, requiredScopes: string[], context?: ClientContext): Promise<BitbucketClient>;
}

/** Carried into the client's request logs. */
export interface ClientContext {
  deliveryId?: string;
}
