import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class TenantRow extends Model<InferAttributes<TenantRow>, InferCreationAttributes<TenantRow>> {
  declare clientKey: string;
  declare installId: string;
  declare host: string;
  declare appKey: string;
  declare sharedSecretSealed: string;
  declare baseUrl: string;
  declare baseApiUrl: string;
  declare workspaceUuid: string | null;
  declare workspaceSlug: string | null;
  declare workspaceName: string | null;
  declare installedByUuid: string | null;
  declare installedByAccountId: string | null;
  declare installedAt: Date;
  declare updatedAt: Date;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineTenant(sequelize: Sequelize): ModelStatic<TenantRow> {
  class Tenant extends TenantRow {}
  Tenant.init(
    {
      clientKey: { type: DataTypes.STRING(255), primaryKey: true },
      installId: { type: DataTypes.STRING(64), allowNull: false },
      host: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'connect' },
      appKey: { type: DataTypes.STRING(64), allowNull: false },
      sharedSecretSealed: { type: DataTypes.TEXT, allowNull: false },
      baseUrl: { type: DataTypes.STRING(512), allowNull: false },
      baseApiUrl: { type: DataTypes.STRING(512), allowNull: false },
      workspaceUuid: { type: DataTypes.STRING(64), allowNull: true },
      workspaceSlug: { type: DataTypes.STRING(255), allowNull: true },
      workspaceName: { type: DataTypes.STRING(255), allowNull: true },
      installedByUuid: { type: DataTypes.STRING(64), allowNull: true },
      installedByAccountId: { type: DataTypes.STRING(128), allowNull: true },
      installedAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'tenants', modelName: 'Tenant', underscored: true, timestamps: false },
  );
  return Tenant;
}
