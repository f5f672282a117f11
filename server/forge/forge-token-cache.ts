import { decodeJwt } from 'jose';

/**
 * The latest app system token Forge handed Bosun for each installation. Forge gives a remote its
 * tokens only with an invocation; work that runs after one (an API read behind a page call, a job a
 * product event enqueued, on whichever instance claims it) uses the token that invocation carried
 * until it expires.
 */
export interface ForgeTokenCache {
  remember(installationId: string, token: string): Promise<void>;
  /** A token still valid for at least `marginMs`, or null. */
  get(installationId: string, marginMs?: number): Promise<string | null>;
  forget(installationId: string): Promise<void>;
}

/** When a token stops being usable: Forge's are JWTs with an exp; anything else is kept for a minute at most. */
export function forgeTokenExpiryMs(token: string, nowMs: number): number {
  let exp: number | undefined;
  try {
    // Only its expiry is read: the token is Forge's to Bitbucket, never trusted for anything here.
    exp = decodeJwt(token).exp;
  } catch {
    exp = undefined;
  }
  return typeof exp === 'number' ? exp * 1000 : nowMs + 60_000;
}

interface MemoryEntries {
  put(installationId: string, token: string, expiresAtMs: number): void;
  /** The entry, if it is still valid for `marginMs`; an expired one is dropped. */
  take(installationId: string, marginMs: number, nowMs: number): { token: string; expiresAtMs: number } | null;
  drop(installationId: string): void;
}

function createMemoryEntries(max: number): MemoryEntries {
  const entries = new Map<string, { token: string; expiresAtMs: number }>();
  return {
    put(installationId, token, expiresAtMs) {
      entries.delete(installationId);
      entries.set(installationId, { token, expiresAtMs });
      while (entries.size > max) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    take(installationId, marginMs, nowMs) {
      const entry = entries.get(installationId);
      if (!entry) return null;
      if (entry.expiresAtMs - marginMs <= nowMs) {
        entries.delete(installationId);
        return null;
      }
      return entry;
    },
    drop(installationId) {
      entries.delete(installationId);
    },
  };
}

/**
 * One process's tokens alone (tests, a single instance without a store). Bounded: a flood of
 * installations cannot grow it past `maxEntries` (the oldest entry goes first).
 */
export function createForgeTokenCache(options: { nowMs: () => number; maxEntries?: number }): ForgeTokenCache {
  const entries = createMemoryEntries(options.maxEntries ?? 10_000);
  return {
    async remember(installationId, token) {
      const expiresAtMs = forgeTokenExpiryMs(token, options.nowMs());
      if (expiresAtMs <= options.nowMs()) return;
      entries.put(installationId, token, expiresAtMs);
    },
    async get(installationId, marginMs = 5_000) {
      return entries.take(installationId, marginMs, options.nowMs())?.token ?? null;
    },
    async forget(installationId) {
      entries.drop(installationId);
    },
  };
}
