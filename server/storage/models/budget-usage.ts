import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class BudgetUsageModelRow extends Model<InferAttributes<BudgetUsageModelRow>, InferCreationAttributes<BudgetUsageModelRow>> {
  declare clientKey: string;
  declare credential: string;
  declare lane: string;
  declare purpose: string;
  /** BIGINT: the pg driver answers it as a string. */
  declare minute: number | string;
  declare count: number;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineBudgetUsage(sequelize: Sequelize): ModelStatic<BudgetUsageModelRow> {
  class BudgetUsage extends BudgetUsageModelRow {}
  BudgetUsage.init(
    {
      clientKey: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      credential: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      lane: { type: DataTypes.STRING(16), allowNull: false, primaryKey: true },
      purpose: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      minute: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
      count: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'budget_usage', modelName: 'BudgetUsage', underscored: true, timestamps: false },
  );
  return BudgetUsage;
}
