import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type CreationOptional, type Sequelize, type ModelStatic } from 'sequelize';

export class TenantRow extends Model<InferAttributes<TenantRow>, InferCreationAttributes<TenantRow>> {
  declare clientKey: string;
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

export class WebhookDeliveryRow extends Model<
  InferAttributes<WebhookDeliveryRow>,
  InferCreationAttributes<WebhookDeliveryRow>
> {
  declare id: CreationOptional<number>;
  declare clientKey: string;
  declare requestUuid: string;
  declare hookUuid: string | null;
  declare eventKey: string;
  declare attempt: number;
  declare repositoryUuid: string | null;
  declare pullrequestId: number | null;
  declare payload: string;
  declare receivedAt: Date;
}

export class JobRow extends Model<InferAttributes<JobRow>, InferCreationAttributes<JobRow>> {
  declare id: string;
  declare clientKey: string;
  declare type: string;
  /** JSON text. */
  declare payload: string;
  declare state: string;
  declare attempts: number;
  declare maxAttempts: number;
  declare priority: number;
  declare dedupeKey: string | null;
  declare runAt: Date;
  declare lockedBy: string | null;
  declare leaseExpiresAt: Date | null;
  declare lastError: string | null;
  /** JSON text, null until a handler returned something. */
  declare result: string | null;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export interface Models {
  Tenant: ModelStatic<TenantRow>;
  WebhookDelivery: ModelStatic<WebhookDeliveryRow>;
  Job: ModelStatic<JobRow>;
}

/** Model definitions mirror migrations.ts; the migrations own the schema. */
export function defineModels(sequelize: Sequelize): Models {
  // Classes are shared but init() binds them to one Sequelize; tests open several databases,
  // so each database gets its own subclass.
  class Tenant extends TenantRow {}
  Tenant.init(
    {
      clientKey: { type: DataTypes.STRING(255), primaryKey: true },
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
  class WebhookDelivery extends WebhookDeliveryRow {}
  WebhookDelivery.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      requestUuid: { type: DataTypes.STRING(64), allowNull: false },
      hookUuid: { type: DataTypes.STRING(64), allowNull: true },
      eventKey: { type: DataTypes.STRING(64), allowNull: false },
      attempt: { type: DataTypes.INTEGER, allowNull: false },
      repositoryUuid: { type: DataTypes.STRING(64), allowNull: true },
      pullrequestId: { type: DataTypes.INTEGER, allowNull: true },
      payload: { type: DataTypes.TEXT, allowNull: false },
      receivedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'webhook_deliveries', modelName: 'WebhookDelivery', underscored: true, timestamps: false },
  );
  class Job extends JobRow {}
  Job.init(
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      type: { type: DataTypes.STRING(128), allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false },
      maxAttempts: { type: DataTypes.INTEGER, allowNull: false },
      priority: { type: DataTypes.INTEGER, allowNull: false },
      dedupeKey: { type: DataTypes.STRING(255), allowNull: true },
      runAt: { type: DataTypes.DATE, allowNull: false },
      lockedBy: { type: DataTypes.STRING(255), allowNull: true },
      leaseExpiresAt: { type: DataTypes.DATE, allowNull: true },
      lastError: { type: DataTypes.TEXT, allowNull: true },
      result: { type: DataTypes.TEXT, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'jobs', modelName: 'Job', underscored: true, timestamps: false },
  );
  return { Tenant, WebhookDelivery, Job };
}
