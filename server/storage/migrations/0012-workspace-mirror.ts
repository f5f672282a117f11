import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/**
 * The workspace mirror (server/mirror/): repositories, pull requests (open and recently closed, with
 * participants), commit statuses per commit, and the tenant's sync progress. Bitbucket's objects are
 * kept as validated JSON next to the columns queries need.
 */
export const migration0012: Migration = {
  id: '0012-workspace-mirror',
  async up(qi) {
    await qi.createTable('mirror_repositories', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      uuid: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      full_name: { type: DataTypes.STRING(512), allowNull: false },
      data: { type: DataTypes.TEXT, allowNull: false },
      pull_requests_synced_at: { type: DataTypes.DATE, allowNull: true },
      last_event_at: { type: DataTypes.DATE, allowNull: true },
      mirrored_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.createTable('mirror_pull_requests', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      repository_uuid: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      state: { type: DataTypes.STRING(16), allowNull: false },
      updated_on: { type: DataTypes.STRING(32), allowNull: false },
      source_hash: { type: DataTypes.STRING(12), allowNull: true },
      statuses_hash: { type: DataTypes.STRING(12), allowNull: true },
      data: { type: DataTypes.TEXT, allowNull: false },
      mirrored_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('mirror_pull_requests', ['client_key', 'repository_uuid', 'state'], { name: 'mirror_pull_requests_by_state' });
    await qi.createTable('mirror_commit_statuses', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      repository_uuid: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      commit_hash: { type: DataTypes.STRING(12), allowNull: false, primaryKey: true },
      key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      updated_on: { type: DataTypes.STRING(32), allowNull: false },
      data: { type: DataTypes.TEXT, allowNull: false },
    });
    await qi.createTable('mirror_sync_progress', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      state: { type: DataTypes.STRING(16), allowNull: false },
      repositories_total: { type: DataTypes.INTEGER, allowNull: false },
      repositories_done: { type: DataTypes.INTEGER, allowNull: false },
      statuses_pending: { type: DataTypes.INTEGER, allowNull: false },
      started_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
      finished_at: { type: DataTypes.DATE, allowNull: true },
      last_sweep_at: { type: DataTypes.DATE, allowNull: true },
      message: { type: DataTypes.TEXT, allowNull: true },
    });
  },
};
