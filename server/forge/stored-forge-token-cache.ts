import { createForgeTokenCache, forgeTokenExpiryMs, type ForgeTokenCache } from './forge-token-cache';

/** Where the tokens outlive a process and reach every instance: one sealed row per installation. */
export interface SealedForgeTokenStore {
  put(installationId: string, row: { tokenSealed: string; expiresAt: Date }, now: Date): Promise<void>;
  get(installationId: string): Promise<{ tokenSealed: string; expiresAt: Date } | null>;
  delete(installationId: string): Promise<void>;
}

/** The secret box's two operations (auth's createSecretBox); `context` binds a ciphertext to its row. */
export interface TokenSealer {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

const sealContext = (installationId: string) => `forge-app-token:${installationId}`;

/**
 * The app tokens shared by every Bosun instance on one database: each token an invocation brings is
 * sealed into the store; a read goes to this process's memory first (for `memoryTtlMs` at most, so
 * a token another instance stored since is seen soon) and then to the store. The plaintext is never
 * logged nor written anywhere but memory.
 */
export function createStoredForgeTokenCache(options: {
  store: SealedForgeTokenStore;
  box: TokenSealer;
  nowMs: () => number;
  memoryTtlMs?: number;
}): ForgeTokenCache {
  const ttl = options.memoryTtlMs ?? 30_000;
  // The memory copy lives until the token's expiry or the TTL, whichever comes first.
  const memory = createForgeTokenCache({ nowMs: options.nowMs });
  const memoryUntil = new Map<string, number>();
  const fromMemory = async (installationId: string, marginMs: number) => {
    const until = memoryUntil.get(installationId);
    if (until === undefined || until <= options.nowMs()) {
      memoryUntil.delete(installationId);
      await memory.forget(installationId);
      return null;
    }
    return memory.get(installationId, marginMs);
  };
  const keep = async (installationId: string, token: string) => {
    await memory.remember(installationId, token);
    memoryUntil.set(installationId, options.nowMs() + ttl);
  };
  return {
    async remember(installationId, token) {
      const now = options.nowMs();
      const expiresAtMs = forgeTokenExpiryMs(token, now);
      if (expiresAtMs <= now) return;
      // Every page call carries the token: the same one this process already holds is not written again.
      if ((await fromMemory(installationId, 0)) === token) return;
      await options.store.put(installationId, { tokenSealed: options.box.seal(token, sealContext(installationId)), expiresAt: new Date(expiresAtMs) }, new Date(now));
      await keep(installationId, token);
    },
    async get(installationId, marginMs = 5_000) {
      const cached = await fromMemory(installationId, marginMs);
      if (cached) return cached;
      const row = await options.store.get(installationId);
      if (!row || row.expiresAt.getTime() - marginMs <= options.nowMs()) return null;
      let token: string;
      try {
        token = options.box.open(row.tokenSealed, sealContext(installationId));
      } catch {
        // Unreadable (written with a key no longer configured, or not this row's): not a token to act
        // with, and no reason to fail the work for good; the next invocation brings a new one.
        return null;
      }
      await keep(installationId, token);
      return token;
    },
    async forget(installationId) {
      memoryUntil.delete(installationId);
      await memory.forget(installationId);
      await options.store.delete(installationId);
    },
  };
}
