import type { Migration } from './migration';

/**
 * tenant_migrations: each Connect installation whose data moved to a Forge installation of the same
 * workspace (server/forge/migrate-connect-tenant.ts), so a second run knows it is done. It names two
 * installations rather than owning rows of one: no client_key column, an uninstall keeps the record.
 */
export const migration0027: Migration = {
  id: '0027-tenant-migrations',
  async up(_qi, sql) {
    await sql(`CREATE TABLE tenant_migrations (
      connect_client_key VARCHAR(255) PRIMARY KEY,
      forge_client_key VARCHAR(255) NOT NULL,
      workspace_uuid VARCHAR(64) NOT NULL,
      rows_moved INTEGER NOT NULL,
      resealed INTEGER NOT NULL,
      migrated_at VARCHAR(32) NOT NULL
    )`);
  },
};
