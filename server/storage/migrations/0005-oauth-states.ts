import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/** Pending authorization-code flows: single-use, short-lived, bound to tenant, user and browser. */
export const migration0005: Migration = {
  id: '0005-oauth-states',
  async up(qi) {
    await qi.createTable('oauth_states', {
      state_hash: { type: DataTypes.STRING(64), primaryKey: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      user_uuid: { type: DataTypes.STRING(64), allowNull: false },
      browser_nonce_hash: { type: DataTypes.STRING(64), allowNull: false },
      code_verifier_sealed: { type: DataTypes.TEXT, allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('oauth_states', ['client_key'], { name: 'oauth_states_tenant' });
  },
};
