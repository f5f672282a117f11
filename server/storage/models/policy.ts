import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class PolicyRow extends Model<InferAttributes<PolicyRow>, InferCreationAttributes<PolicyRow>> {
  declare id: CreationOptional<number>;
  declare clientKey: string;
  declare scope: string;
  /** The validated layer as JSON text. */
  declare layer: string;
  declare version: number;
  declare updatedBy: string;
  declare updatedAt: Date;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function definePolicy(sequelize: Sequelize): ModelStatic<PolicyRow> {
  class Policy extends PolicyRow {}
  Policy.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      scope: { type: DataTypes.STRING(64), allowNull: false },
      layer: { type: DataTypes.TEXT, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      updatedBy: { type: DataTypes.STRING(64), allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'policies', modelName: 'Policy', underscored: true, timestamps: false },
  );
  return Policy;
}
