import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class OAuthStateRow extends Model<InferAttributes<OAuthStateRow>, InferCreationAttributes<OAuthStateRow>> {
  declare stateHash: string;
  declare clientKey: string;
  declare userUuid: string;
  declare browserNonceHash: string;
  declare codeVerifierSealed: string;
  declare expiresAt: Date;
  declare createdAt: Date;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineOAuthState(sequelize: Sequelize): ModelStatic<OAuthStateRow> {
  class OAuthState extends OAuthStateRow {}
  OAuthState.init(
    {
      stateHash: { type: DataTypes.STRING(64), primaryKey: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      userUuid: { type: DataTypes.STRING(64), allowNull: false },
      browserNonceHash: { type: DataTypes.STRING(64), allowNull: false },
      codeVerifierSealed: { type: DataTypes.TEXT, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'oauth_states', modelName: 'OAuthState', underscored: true, timestamps: false },
  );
  return OAuthState;
}
