import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/** The agent's audit log and its idempotency records (server/agent/executor). */
export const migration0006: Migration = {
  id: '0006-agent-executions',
  async up(qi) {
    await qi.createTable('audit_entries', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      idempotency_key: { type: DataTypes.STRING(255), allowNull: false },
      actor_uuid: { type: DataTypes.STRING(64), allowNull: true },
      actor_account_id: { type: DataTypes.STRING(128), allowNull: true },
      actor_kind: { type: DataTypes.STRING(16), allowNull: false },
      trigger_kind: { type: DataTypes.STRING(128), allowNull: false },
      trigger_ref: { type: DataTypes.STRING(255), allowNull: true },
      source: { type: DataTypes.STRING(32), allowNull: false },
      plan_summary: { type: DataTypes.TEXT, allowNull: false },
      // Delimited lists ('|acme/web|acme/api|') so a LIKE filters by one entry on both dialects.
      repositories: { type: DataTypes.TEXT, allowNull: false },
      tools: { type: DataTypes.TEXT, allowNull: false },
      steps: { type: DataTypes.TEXT, allowNull: false },
      outcome: { type: DataTypes.STRING(16), allowNull: false },
      message: { type: DataTypes.TEXT, allowNull: false },
      started_at: { type: DataTypes.DATE, allowNull: false },
      duration_ms: { type: DataTypes.INTEGER, allowNull: false },
    });
    await qi.addIndex('audit_entries', ['client_key', 'started_at'], { name: 'audit_entries_tenant_time' });
    await qi.addIndex('audit_entries', ['client_key', 'actor_uuid'], { name: 'audit_entries_tenant_actor' });
    await qi.addIndex('audit_entries', ['client_key', 'outcome'], { name: 'audit_entries_tenant_outcome' });

    await qi.createTable('executions', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      idempotency_key: { type: DataTypes.STRING(255), allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      source: { type: DataTypes.STRING(32), allowNull: false },
      plan_summary: { type: DataTypes.TEXT, allowNull: false },
      outcome: { type: DataTypes.STRING(16), allowNull: true },
      result: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      finished_at: { type: DataTypes.DATE, allowNull: true },
    });
    // The idempotency guarantee: concurrent claims of one key, exactly one insert wins.
    await qi.addIndex('executions', ['client_key', 'idempotency_key'], { unique: true, name: 'executions_tenant_key' });
    await qi.addIndex('executions', ['client_key', 'created_at'], { name: 'executions_tenant_time' });
  },
};
