import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

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

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineWebhookDelivery(sequelize: Sequelize): ModelStatic<WebhookDeliveryRow> {
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
  return WebhookDelivery;
}
