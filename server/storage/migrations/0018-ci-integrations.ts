import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/**
 * CI integrations (server/ci/): one row per endpoint a CI posts to, its secret sealed with the
 * secret box like every other secret; the last deliveries with their outcome (for the admin page);
 * and per commit and status key the last build state Bosun accepted, so an update that arrives
 * out of order never overwrites a newer one (server/ci/decide-status-update.ts).
 */
export const migration0018: Migration = {
  id: '0018-ci-integrations',
  async up(qi) {
    await qi.createTable('ci_integrations', {
      id: { type: DataTypes.STRING(40), allowNull: false, primaryKey: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      provider: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      repository: { type: DataTypes.STRING(255), allowNull: true },
      secret_sealed: { type: DataTypes.TEXT, allowNull: false },
      created_by: { type: DataTypes.STRING(255), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      rotated_at: { type: DataTypes.DATE, allowNull: true },
    });
    await qi.addIndex('ci_integrations', ['client_key'], { name: 'ci_integrations_client_key' });
    await qi.createTable('ci_deliveries', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      integration_id: { type: DataTypes.STRING(40), allowNull: false },
      outcome: { type: DataTypes.STRING(16), allowNull: false },
      reason: { type: DataTypes.TEXT, allowNull: true },
      repository: { type: DataTypes.STRING(255), allowNull: true },
      commit_hash: { type: DataTypes.STRING(40), allowNull: true },
      status_key: { type: DataTypes.STRING(40), allowNull: true },
      received_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('ci_deliveries', ['client_key', 'integration_id', 'received_at'], { name: 'ci_deliveries_integration' });
    await qi.createTable('ci_reported_statuses', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      repository: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      commit_hash: { type: DataTypes.STRING(40), allowNull: false, primaryKey: true },
      status_key: { type: DataTypes.STRING(40), allowNull: false, primaryKey: true },
      fingerprint: { type: DataTypes.STRING(64), allowNull: false },
      /** The ReportedStatus (state, run, time, delivery ids) as JSON. */
      reported: { type: DataTypes.TEXT, allowNull: false },
      /** The Bitbucket status last decided for this key (key, state, name, url, description, refname) as JSON. */
      status: { type: DataTypes.TEXT, allowNull: false },
      bitbucket_state: { type: DataTypes.STRING(16), allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('ci_reported_statuses', ['bitbucket_state', 'updated_at'], { name: 'ci_reported_statuses_state' });
  },
};
