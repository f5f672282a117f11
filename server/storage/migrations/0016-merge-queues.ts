import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/**
 * The merge queue of each destination branch (server/merge-queue/): one versioned record that
 * workers save by compare and set, so a merge decision is taken once across instances.
 */
export const migration0016: Migration = {
  id: '0016-merge-queues',
  async up(qi) {
    await qi.createTable('merge_queues', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      repository: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      branch: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      version: { type: DataTypes.INTEGER, allowNull: false },
      state: { type: DataTypes.TEXT, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
  },
};
