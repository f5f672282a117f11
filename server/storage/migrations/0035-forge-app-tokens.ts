import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/**
 * The latest Forge app system token per Forge installation (issue 15), sealed like every other
 * secret, with its expiry. Forge hands a remote the token only with an invocation; kept here, every
 * Bosun instance on the database acts with the one any of them last received. Tenant-owned
 * (client_key): the purge deletes it, the write guard drops one written after an uninstall.
 */
export const migration0035: Migration = {
  id: '0035-forge-app-tokens',
  async up(qi) {
    await qi.createTable('forge_app_tokens', {
      client_key: { type: DataTypes.STRING(255), primaryKey: true },
      token_sealed: { type: DataTypes.TEXT, allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
  },
};
