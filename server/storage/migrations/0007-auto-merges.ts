import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/** Pending "merge when green" requests (server/agent/tools/pull-request-merge-when-green.ts). */
export const migration0007: Migration = {
  id: '0007-auto-merges',
  async up(qi) {
    await qi.createTable('auto_merges', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      repository_full_name: { type: DataTypes.STRING(512), allowNull: false },
      repository_uuid: { type: DataTypes.STRING(64), allowNull: true },
      pull_request_id: { type: DataTypes.INTEGER, allowNull: false },
      merge_strategy: { type: DataTypes.STRING(32), allowNull: true },
      requested_by_uuid: { type: DataTypes.STRING(64), allowNull: true },
      requested_by_account_id: { type: DataTypes.STRING(128), allowNull: true },
      state: { type: DataTypes.STRING(16), allowNull: false },
      reason: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    // At most one pending request per PR (partial index: SQLite and PostgreSQL both support it).
    await qi.addIndex('auto_merges', ['client_key', 'repository_full_name', 'pull_request_id'], {
      unique: true,
      name: 'auto_merges_one_pending',
      where: { state: 'pending' },
    });
    await qi.addIndex('auto_merges', ['client_key', 'state', 'repository_uuid'], { name: 'auto_merges_tenant_state' });
  },
};
