import { DataTypes } from 'sequelize';
import type { Migration } from './migration';

/** A person's own Bitbucket OAuth connection; tokens only ever sealed. */
export const migration0004: Migration = {
  id: '0004-user-connections',
  async up(qi) {
    await qi.createTable('user_connections', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      client_key: { type: DataTypes.STRING(255), allowNull: false },
      user_uuid: { type: DataTypes.STRING(64), allowNull: false },
      bitbucket_uuid: { type: DataTypes.STRING(64), allowNull: false },
      account_id: { type: DataTypes.STRING(128), allowNull: true },
      display_name: { type: DataTypes.STRING(255), allowNull: false },
      nickname: { type: DataTypes.STRING(255), allowNull: true },
      avatar_url: { type: DataTypes.STRING(1024), allowNull: true },
      email: { type: DataTypes.STRING(320), allowNull: true },
      access_token_sealed: { type: DataTypes.TEXT, allowNull: false },
      refresh_token_sealed: { type: DataTypes.TEXT, allowNull: true },
      access_expires_at: { type: DataTypes.DATE, allowNull: false },
      scopes: { type: DataTypes.STRING(1024), allowNull: false },
      status: { type: DataTypes.STRING(32), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('user_connections', ['client_key', 'user_uuid'], { unique: true, name: 'user_connections_tenant_user' });
    await qi.addIndex('user_connections', ['client_key', 'bitbucket_uuid'], { unique: true, name: 'user_connections_tenant_account' });
  },
};
