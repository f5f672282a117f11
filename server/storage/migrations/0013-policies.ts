import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/** Policy layers (server/policies/): workspace defaults and per-repository overrides, one row per scope. */
export const migration0013: Migration = {
  id: '0013-policies',
  async up(qi) {
    await qi.createTable('policies', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      // 'workspace' or a repository {uuid}
      scope: { type: DataTypes.STRING(64), allowNull: false },
      layer: { type: DataTypes.TEXT, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      updated_by: { type: DataTypes.STRING(64), allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('policies', ['client_key', 'scope'], { unique: true, name: 'policies_one_per_scope' });
  },
};
