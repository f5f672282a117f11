import { AsyncLocalStorage } from 'node:async_hooks';

/** A person's token a host handed Bosun with one request (Forge: `x-forge-oauth-user`). */
export interface HostUserGrant {
  clientKey: string;
  userUuid: string;
  accessToken: string;
}

/**
 * The token a host gave with the request being served, at hand for that request only: Bosun never
 * stores it, and once the request's work settles it is gone, even for a promise that outlives it.
 */
export interface HostUserTokens {
  run<T>(grant: HostUserGrant, work: () => Promise<T>): Promise<T>;
  /** This person's token when the running request carries it, else null. */
  get(clientKey: string, userUuid: string): string | null;
}

export function createHostUserTokens(): HostUserTokens {
  const current = new AsyncLocalStorage<{ grant: HostUserGrant; open: boolean }>();
  return {
    async run(grant, work) {
      const frame = { grant, open: true };
      try {
        return await current.run(frame, work);
      } finally {
        frame.open = false;
      }
    },
    get(clientKey, userUuid) {
      const frame = current.getStore();
      if (!frame?.open || frame.grant.clientKey !== clientKey || frame.grant.userUuid !== userUuid) return null;
      return frame.grant.accessToken;
    },
  };
}
