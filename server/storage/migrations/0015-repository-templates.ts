import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/**
 * Repository templates (server/policies/repository-template.ts) as validated JSON, one row per
 * tenant and name, and which repository follows which template with what its last check or
 * apply found (the drift list, and what a stopped apply did and did not do).
 */
export const migration0015: Migration = {
  id: '0015-repository-templates',
  async up(qi) {
    await qi.createTable('repository_templates', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      name: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      template: { type: DataTypes.TEXT, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      updated_by: { type: DataTypes.STRING(255), allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.createTable('repository_template_bindings', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      full_name: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      template: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      applied: { type: DataTypes.TEXT, allowNull: false },
      pending: { type: DataTypes.TEXT, allowNull: false },
      error: { type: DataTypes.TEXT, allowNull: true },
      checked_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('repository_template_bindings', ['client_key', 'template'], { name: 'repository_template_bindings_template' });
  },
};
