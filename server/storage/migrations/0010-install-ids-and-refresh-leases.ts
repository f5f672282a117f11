import type { Migration } from './migration';

/**
 * - tenants.install_id: a fresh random id for every new installation (kept on reinstall, new after
 *   an uninstall), so sessions minted for an earlier installation of the same clientKey are refused.
 * - user_connections.refresh_lease_*: one refresher per person across processes without holding a
 *   database lock during the HTTP call to Bitbucket's token endpoint.
 */
export const migration0010: Migration = {
  id: '0010-install-ids-and-refresh-leases',
  async up(qi, sql) {
    const timestamp = qi.sequelize.getDialect() === 'postgres' ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
    await sql('ALTER TABLE tenants ADD COLUMN install_id VARCHAR(64)');
    // Existing installations get an id of their own; their current sessions end once (15 min at most).
    await sql("UPDATE tenants SET install_id = 'legacy-' || client_key WHERE install_id IS NULL");
    await sql('ALTER TABLE user_connections ADD COLUMN refresh_lease_owner VARCHAR(64)');
    await sql(`ALTER TABLE user_connections ADD COLUMN refresh_lease_until ${timestamp}`);
  },
};
