import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class UserConnectionRow extends Model<InferAttributes<UserConnectionRow>, InferCreationAttributes<UserConnectionRow>> {
  declare id: CreationOptional<number>;
  declare clientKey: string;
  declare userUuid: string;
  declare bitbucketUuid: string;
  declare accountId: string | null;
  declare displayName: string;
  declare nickname: string | null;
  declare avatarUrl: string | null;
  declare email: string | null;
  declare accessTokenSealed: string;
  declare refreshTokenSealed: string | null;
  declare accessExpiresAt: Date;
  declare scopes: string;
  declare status: string;
  declare createdAt: Date;
  declare updatedAt: Date;
  declare refreshLeaseOwner: CreationOptional<string | null>;
  declare refreshLeaseUntil: CreationOptional<Date | null>;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineUserConnection(sequelize: Sequelize): ModelStatic<UserConnectionRow> {
  class UserConnection extends UserConnectionRow {}
  UserConnection.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      userUuid: { type: DataTypes.STRING(64), allowNull: false },
      bitbucketUuid: { type: DataTypes.STRING(64), allowNull: false },
      accountId: { type: DataTypes.STRING(128), allowNull: true },
      displayName: { type: DataTypes.STRING(255), allowNull: false },
      nickname: { type: DataTypes.STRING(255), allowNull: true },
      avatarUrl: { type: DataTypes.STRING(1024), allowNull: true },
      email: { type: DataTypes.STRING(320), allowNull: true },
      accessTokenSealed: { type: DataTypes.TEXT, allowNull: false },
      refreshTokenSealed: { type: DataTypes.TEXT, allowNull: true },
      accessExpiresAt: { type: DataTypes.DATE, allowNull: false },
      scopes: { type: DataTypes.STRING(1024), allowNull: false },
      status: { type: DataTypes.STRING(32), allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
      refreshLeaseOwner: { type: DataTypes.STRING(64), allowNull: true },
      refreshLeaseUntil: { type: DataTypes.DATE, allowNull: true },
    },
    { sequelize, tableName: 'user_connections', modelName: 'UserConnection', underscored: true, timestamps: false },
  );
  return UserConnection;
}
