import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/**
 * The record of an uninstall: while a tenant's key is listed here, no row of that tenant can be
 * inserted in a tenant-owned table (tenant-write-guard.ts installs the guard on each of them). A job
 * still running when the uninstall landed would otherwise write its rate budget, audit entries,
 * executions or mirror rows after the purge. A reinstall of the key removes its row.
 */
export const migration0034: Migration = {
  id: '0034-uninstalled-tenants',
  async up(qi) {
    await qi.createTable('uninstalled_tenants', {
      client_key: { type: DataTypes.STRING(255), primaryKey: true },
      uninstalled_at: { type: DataTypes.DATE, allowNull: false },
    });
  },
};
