import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

/** One Forge installation's latest app system token, sealed (migration 0035). */
export class ForgeAppTokenRow extends Model<InferAttributes<ForgeAppTokenRow>, InferCreationAttributes<ForgeAppTokenRow>> {
  declare clientKey: string;
  declare tokenSealed: string;
  declare expiresAt: Date;
  declare updatedAt: Date;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineForgeAppToken(sequelize: Sequelize): ModelStatic<ForgeAppTokenRow> {
  class ForgeAppToken extends ForgeAppTokenRow {}
  ForgeAppToken.init(
    {
      clientKey: { type: DataTypes.STRING(255), primaryKey: true },
      tokenSealed: { type: DataTypes.TEXT, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'forge_app_tokens', modelName: 'ForgeAppToken', underscored: true, timestamps: false },
  );
  return ForgeAppToken;
}
