import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

export const migration0001: Migration = {
  id: '0001-tenants',
  async up(qi) {
    await qi.createTable('tenants', {
      client_key: { type: DataTypes.STRING(255), primaryKey: true },
      app_key: { type: DataTypes.STRING(64), allowNull: false },
      shared_secret_sealed: { type: DataTypes.TEXT, allowNull: false },
      base_url: { type: DataTypes.STRING(512), allowNull: false },
      base_api_url: { type: DataTypes.STRING(512), allowNull: false },
      workspace_uuid: { type: DataTypes.STRING(64), allowNull: true },
      workspace_slug: { type: DataTypes.STRING(255), allowNull: true },
      workspace_name: { type: DataTypes.STRING(255), allowNull: true },
      installed_by_uuid: { type: DataTypes.STRING(64), allowNull: true },
      installed_by_account_id: { type: DataTypes.STRING(128), allowNull: true },
      installed_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
  },
};
