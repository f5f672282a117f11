import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class BudgetPauseModelRow extends Model<InferAttributes<BudgetPauseModelRow>, InferCreationAttributes<BudgetPauseModelRow>> {
  declare clientKey: string;
  declare credential: string;
  declare until: Date;
  declare reason: string;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineBudgetPause(sequelize: Sequelize): ModelStatic<BudgetPauseModelRow> {
  class BudgetPause extends BudgetPauseModelRow {}
  BudgetPause.init(
    {
      clientKey: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      credential: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      until: { type: DataTypes.DATE, allowNull: false },
      reason: { type: DataTypes.STRING(64), allowNull: false },
    },
    { sequelize, tableName: 'budget_pauses', modelName: 'BudgetPause', underscored: true, timestamps: false },
  );
  return BudgetPause;
}
