import { decodeJwt } from 'jose';

/**
 * The latest app system token Forge handed this process for each installation. Forge gives a
 * remote its tokens only with an invocation; work that runs right after one (an API read behind a
 * page call, a job a product event enqueued) uses the token that invocation carried until it expires.
 */
export interface ForgeTokenCache {
  remember(installationId: string, token: string): void;
  /** A token still valid for at least `marginMs`, or null. */
  get(installationId: string, marginMs?: number): string | null;
  forget(installationId: string): void;
}

/** Bounded: a flood of installations cannot grow it past `maxEntries` (the oldest entry goes first). */
export function createForgeTokenCache(options: { nowMs: () => number; maxEntries?: number }): ForgeTokenCache {
  const max = options.maxEntries ?? 10_000;
  const entries = new Map<string, { token: string; expiresAtMs: number }>();
  return {
    remember(installationId, token) {
      let exp: number | undefined;
      try {
        // Only its expiry is read: the token is Forge's to Bitbucket, never trusted for anything here.
        exp = decodeJwt(token).exp;
      } catch {
        exp = undefined;
      }
      // Forge's tokens are JWTs with an exp; anything else is kept for a minute at most.
      const expiresAtMs = typeof exp === 'number' ? exp * 1000 : options.nowMs() + 60_000;
      if (expiresAtMs <= options.nowMs()) return;
      entries.delete(installationId);
      entries.set(installationId, { token, expiresAtMs });
      while (entries.size > max) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    get(installationId, marginMs = 5_000) {
      const entry = entries.get(installationId);
      if (!entry) return null;
      if (entry.expiresAtMs - marginMs <= options.nowMs()) {
        entries.delete(installationId);
        return null;
      }
      return entry.token;
    },
    forget(installationId) {
      entries.delete(installationId);
    },
  };
}
