import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

export const migration0002: Migration = {
  id: '0002-webhook-deliveries',
  async up(qi) {
    await qi.createTable('webhook_deliveries', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      request_uuid: { type: DataTypes.STRING(64), allowNull: false },
      hook_uuid: { type: DataTypes.STRING(64), allowNull: true },
      event_key: { type: DataTypes.STRING(64), allowNull: false },
      attempt: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      repository_uuid: { type: DataTypes.STRING(64), allowNull: true },
      pullrequest_id: { type: DataTypes.INTEGER, allowNull: true },
      payload: { type: DataTypes.TEXT, allowNull: false },
      received_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('webhook_deliveries', ['client_key', 'request_uuid'], {
      unique: true,
      name: 'webhook_deliveries_tenant_request',
    });
    await qi.addIndex('webhook_deliveries', ['client_key', 'received_at'], { name: 'webhook_deliveries_tenant_time' });
  },
};
