import type { ForgeClients } from './forge-clients';
import type { ForgeInvocation } from './verify-invocation-token';

/**
 * A FIT names its person by Atlassian account id; Bosun's pages and checks (admin, "approve as
 * me", connections) know people by Bitbucket uuid. The person's own token answers who they are
 * (`GET /2.0/user`), once per installation and person for `ttlMs`.
 */
export interface ForgeUserResolver {
  toUserUuid(invocation: ForgeInvocation, headers: { get(name: string): string | undefined }): Promise<string | null>;
}

export function createForgeUserResolver(deps: { clients: ForgeClients; nowMs: () => number; ttlMs?: number; maxEntries?: number }): ForgeUserResolver {
  const ttl = deps.ttlMs ?? 10 * 60_000;
  const max = deps.maxEntries ?? 10_000;
  const cache = new Map<string, { uuid: string; expires: number }>();
  return {
    async toUserUuid(invocation, headers) {
      if (!invocation.accountId) return null;
      const key = `${invocation.installationId}\n${invocation.accountId}`;
      const hit = cache.get(key);
      if (hit && hit.expires > deps.nowMs()) return hit.uuid;
      let user;
      try {
        user = await deps.clients.asUser(invocation, headers).users.getCurrent();
      } catch {
        // No user token, or Bitbucket would not say: the page works as for a viewer Bitbucket did not name.
        return null;
      }
      // The token must be the FIT's person's: anything else is not this viewer.
      if (!user.uuid || (user.account_id && user.account_id !== invocation.accountId)) return null;
      cache.delete(key);
      cache.set(key, { uuid: user.uuid, expires: deps.nowMs() + ttl });
      while (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
      return user.uuid;
    },
  };
}
