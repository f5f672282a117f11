import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/**
 * More of the workspace in the mirror (issue 10): branch heads (kept by `repo:push` webhooks, listed
 * by the sweep), and per repository the facts Bitbucket sends no webhook for (default reviewers,
 * branch restrictions, recent pipelines), refreshed by the sweep and kept as validated JSON.
 */
export const migration0029: Migration = {
  id: '0029-mirror-branches-and-facts',
  async up(qi) {
    await qi.createTable('mirror_branches', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      repository_uuid: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      name: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      target_hash: { type: DataTypes.STRING(40), allowNull: false },
      /** ISO instant of the head commit's date: an older push never overwrites a newer head. */
      target_date: { type: DataTypes.STRING(32), allowNull: true },
      mirrored_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.createTable('mirror_repository_facts', {
      client_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      repository_uuid: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      kind: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
      data: { type: DataTypes.TEXT, allowNull: false },
      synced_at: { type: DataTypes.DATE, allowNull: false },
    });
  },
};
