import type { Migration } from './migration';

/**
 * tenants.host: which host an installation came from ('connect' today, 'forge' beside it), so
 * Forge installations can live beside Connect ones. Every existing row is a Connect installation.
 */
export const migration0017: Migration = {
  id: '0017-tenant-host',
  async up(_qi, sql) {
    await sql("ALTER TABLE tenants ADD COLUMN host VARCHAR(16) NOT NULL DEFAULT 'connect'");
  },
};
