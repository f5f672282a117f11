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
  // Each page call brings the token again: written only when it changes (see the cache in front).
  return {
    async put(clientKey, row, now) {
      // The newest token wins: one a slow invocation brings after a fresher one (later exp) is stored does not replace it.
      await db.sequelize.query(
        `INSERT INTO forge_app_tokens (client_key, token_sealed, expires_at, updated_at) VALUES (:clientKey, :tokenSealed, :expiresAt, :now)
         ON CONFLICT (client_key) DO UPDATE SET token_sealed = excluded.token_sealed, expires_at = excluded.expires_at, updated_at = excluded.updated_at
         WHERE forge_app_tokens.expires_at <= excluded.expires_at`,
        { replacements: { clientKey, tokenSealed: row.tokenSealed, expiresAt: row.expiresAt, now } },
      );
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
