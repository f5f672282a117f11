import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/**
 * The rate budget shared by every instance (server/budget/): requests per credential, lane and
 * purpose in minute buckets (the rolling hour is the sum of the last 61), and 429 pauses.
 */
export const migration0011: Migration = {
  id: '0011-rate-budget',
  async up(qi) {
    await qi.createTable('budget_usage', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      credential: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      lane: { type: DataTypes.STRING(16), allowNull: false, primaryKey: true },
      purpose: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      minute: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
      count: { type: DataTypes.INTEGER, allowNull: false },
    });
    await qi.addIndex('budget_usage', ['client_key', 'credential', 'minute'], { name: 'budget_usage_window' });
    await qi.addIndex('budget_usage', ['minute'], { name: 'budget_usage_minute' });
    await qi.createTable('budget_pauses', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      credential: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      until: { type: DataTypes.DATE, allowNull: false },
      reason: { type: DataTypes.STRING(64), allowNull: false },
    });
  },
};
