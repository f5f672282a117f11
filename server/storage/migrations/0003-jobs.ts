import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

export const migration0003: Migration = {
  id: '0003-jobs',
  async up(qi) {
    await qi.createTable('jobs', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      type: { type: DataTypes.STRING(128), allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      max_attempts: { type: DataTypes.INTEGER, allowNull: false },
      priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      dedupe_key: { type: DataTypes.STRING(255), allowNull: true },
      run_at: { type: DataTypes.DATE, allowNull: false },
      locked_by: { type: DataTypes.STRING(255), allowNull: true },
      lease_expires_at: { type: DataTypes.DATE, allowNull: true },
      last_error: { type: DataTypes.TEXT, allowNull: true },
      result: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    // NULL dedupe keys never collide (SQLite and PostgreSQL both treat NULLs as distinct).
    await qi.addIndex('jobs', ['client_key', 'dedupe_key'], { unique: true, name: 'jobs_tenant_dedupe' });
    // The claim query: due queued jobs, and running jobs whose lease ran out.
    await qi.addIndex('jobs', ['state', 'run_at'], { name: 'jobs_claim_due' });
    await qi.addIndex('jobs', ['state', 'lease_expires_at'], { name: 'jobs_claim_expired' });
    await qi.addIndex('jobs', ['client_key', 'state', 'created_at'], { name: 'jobs_tenant_list' });
  },
};
