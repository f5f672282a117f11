import type { BitbucketClient } from '../bitbucket';
import type { TenantWithSecret } from './tenant';

/** REST clients acting as an installation, however its host authenticates them. */
export interface InstallationClientFactory {
  forTenant(tenant: TenantWithSecret, context?: { deliveryId?: string }): BitbucketClient;
}
