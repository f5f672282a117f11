import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/** Round-robin positions of the reviewer rule: one row per tenant, scope (a repository {uuid}) and group. */
export const migration0031: Migration = {
  id: '0031-reviewer-cursors',
  async up(qi) {
    await qi.createTable('reviewer_cursors', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      scope: { type: DataTypes.STRING(64), allowNull: false },
      group_slug: { type: DataTypes.STRING(255), allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      last_claim: { type: DataTypes.STRING(512), allowNull: true },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('reviewer_cursors', ['client_key', 'scope', 'group_slug'], { unique: true, name: 'reviewer_cursors_one_per_group' });
  },
};
