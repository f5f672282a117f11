import { createBitbucketClient, type BitbucketClient } from '../bitbucket';
import type { Logger } from '../log';
import { ForgeRefusedError } from './errors';
import type { ForgeInvocation } from './verify-invocation-token';

/** Forge hands a remote its tokens per invocation: the app's in `x-forge-oauth-system`, the user's in `x-forge-oauth-user`. */
export const FORGE_SYSTEM_TOKEN_HEADER = 'x-forge-oauth-system';
export const FORGE_USER_TOKEN_HEADER = 'x-forge-oauth-user';

export interface ForgeClients {
  /** REST 2.0 as the app, with this invocation's system token, at the installation's `apiBaseUrl/2.0`. */
  asApp(invocation: ForgeInvocation, headers: { get(name: string): string | undefined }): BitbucketClient;
  /** REST 2.0 as the person the invocation is for, with their user token. */
  asUser(invocation: ForgeInvocation, headers: { get(name: string): string | undefined }): BitbucketClient;
}

const tokenShape = /^[A-Za-z0-9._~+/=-]{16,8192}$/;

export function createForgeClients(deps: { fetch: typeof fetch; logger: Logger }): ForgeClients {
  const build = (invocation: ForgeInvocation, token: string) =>
    createBitbucketClient({
      baseApiUrl: invocation.apiBaseUrl,
      auth: { kind: 'bearer', getAccessToken: async () => token },
      fetch: deps.fetch,
      logger: deps.logger,
      requestContext: { tenant: invocation.installationId },
    });
  return {
    asApp(invocation, headers) {
      const token = headers.get(FORGE_SYSTEM_TOKEN_HEADER);
      if (!token || !tokenShape.test(token)) throw new ForgeRefusedError('FORGE_NO_APP_TOKEN', 'Forge sent no app system token with this invocation');
      return build(invocation, token);
    },
    asUser(invocation, headers) {
      const token = headers.get(FORGE_USER_TOKEN_HEADER);
      if (!token || !tokenShape.test(token)) throw new ForgeRefusedError('FORGE_NO_USER', 'Forge sent no user token with this invocation');
      return build(invocation, token);
    },
  };
}
