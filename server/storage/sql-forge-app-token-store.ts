import type { Database } from './create-database';

/** A Forge installation's latest app token as stored: sealed by the caller, never plaintext here. */
export interface ForgeAppTokenStore {
  put(clientKey: string, row: { tokenSealed: string; expiresAt: Date }, now: Date): Promise<void>;
  get(clientKey: string): Promise<{ tokenSealed: string; expiresAt: Date } | null>;
  delete(clientKey: string): Promise<void>;
}

/**
 * forge_app_tokens (migration 0035): one row per installation, the newest token wins. Tenant-owned,
 * so the uninstall purge deletes it and the write guard drops a write that lands after one.
 */
export function createSqlForgeAppTokenStore(db: Database): ForgeAppTokenStore {
  const { ForgeAppToken } = db.models;
  return {
    async put(clientKey, row, now) {
      await ForgeAppToken.upsert({ clientKey, tokenSealed: row.tokenSealed, expiresAt: row.expiresAt, updatedAt: now });
    },
    async get(clientKey) {
      const row = await ForgeAppToken.findByPk(clientKey, { raw: true });
      return row ? { tokenSealed: row.tokenSealed, expiresAt: new Date(row.expiresAt) } : null;
    },
    async delete(clientKey) {
      await ForgeAppToken.destroy({ where: { clientKey } });
    },
  };
}
