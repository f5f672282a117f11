import { randomBytes } from 'node:crypto';
import type { TenantInput } from '../host';
import type { ForgeInvocation } from './verify-invocation-token';

/**
 * The tenant a Forge installation becomes: keyed by its installation id, with the app id as its
 * appKey. Forge has no shared secret; the row gets a random one nobody ever sees, so a Connect JWT
 * can never verify against a Forge installation.
 */
export function toForgeTenantInput(invocation: ForgeInvocation, options: { siteUrl: string; installerAccountId: string | null }): TenantInput {
  return {
    clientKey: invocation.installationId,
    host: 'forge',
    appKey: invocation.appId,
    sharedSecret: randomBytes(32).toString('base64url'),
    baseUrl: options.siteUrl,
    baseApiUrl: invocation.apiBaseUrl,
    workspaceUuid: invocation.workspaceUuid,
    workspaceSlug: null,
    workspaceName: null,
    installedByUuid: null,
    installedByAccountId: options.installerAccountId ?? invocation.accountId,
  };
}
