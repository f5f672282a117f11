import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class CiIntegrationRow extends Model<InferAttributes<CiIntegrationRow>, InferCreationAttributes<CiIntegrationRow>> {
  declare id: string;
  declare clientKey: string;
  declare provider: string;
  declare name: string;
  declare repository: string | null;
  declare secretSealed: string;
  declare createdBy: string;
  declare createdAt: Date;
  declare rotatedAt: Date | null;
}

export class CiDeliveryRow extends Model<InferAttributes<CiDeliveryRow>, InferCreationAttributes<CiDeliveryRow>> {
  declare id: CreationOptional<number>;
  declare clientKey: string;
  declare integrationId: string;
  declare outcome: string;
  declare reason: string | null;
  declare repository: string | null;
  declare commitHash: string | null;
  declare statusKey: string | null;
  declare receivedAt: Date;
}

export class CiReportedStatusRow extends Model<InferAttributes<CiReportedStatusRow>, InferCreationAttributes<CiReportedStatusRow>> {
  declare clientKey: string;
  declare repository: string;
  declare commitHash: string;
  declare statusKey: string;
  declare fingerprint: string;
  declare reported: string;
  declare status: string;
  declare bitbucketState: string;
  declare updatedAt: Date;
}

export interface CiModels {
  CiIntegration: ModelStatic<CiIntegrationRow>;
  CiDelivery: ModelStatic<CiDeliveryRow>;
  CiReportedStatus: ModelStatic<CiReportedStatusRow>;
}

/** Binds fresh subclasses to this Sequelize (tests open several databases at once). Migration 0018 owns the schema. */
export function defineCiModels(sequelize: Sequelize): CiModels {
  const options = { sequelize, underscored: true, timestamps: false } as const;
  class CiIntegration extends CiIntegrationRow {}
  CiIntegration.init(
    {
      id: { type: DataTypes.STRING(40), primaryKey: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      provider: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      repository: { type: DataTypes.STRING(255), allowNull: true },
      secretSealed: { type: DataTypes.TEXT, allowNull: false },
      createdBy: { type: DataTypes.STRING(255), allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      rotatedAt: { type: DataTypes.DATE, allowNull: true },
    },
    { ...options, tableName: 'ci_integrations', modelName: 'CiIntegration' },
  );
  class CiDelivery extends CiDeliveryRow {}
  CiDelivery.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      integrationId: { type: DataTypes.STRING(40), allowNull: false },
      outcome: { type: DataTypes.STRING(16), allowNull: false },
      reason: { type: DataTypes.TEXT, allowNull: true },
      repository: { type: DataTypes.STRING(255), allowNull: true },
      commitHash: { type: DataTypes.STRING(40), allowNull: true },
      statusKey: { type: DataTypes.STRING(40), allowNull: true },
      receivedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { ...options, tableName: 'ci_deliveries', modelName: 'CiDelivery' },
  );
  class CiReportedStatus extends CiReportedStatusRow {}
  CiReportedStatus.init(
    {
      clientKey: { type: DataTypes.STRING(255), primaryKey: true },
      repository: { type: DataTypes.STRING(255), primaryKey: true },
      commitHash: { type: DataTypes.STRING(40), primaryKey: true },
      statusKey: { type: DataTypes.STRING(40), primaryKey: true },
      fingerprint: { type: DataTypes.STRING(64), allowNull: false },
      reported: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.TEXT, allowNull: false },
      bitbucketState: { type: DataTypes.STRING(16), allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { ...options, tableName: 'ci_reported_statuses', modelName: 'CiReportedStatus' },
  );
  return { CiIntegration, CiDelivery, CiReportedStatus };
}
