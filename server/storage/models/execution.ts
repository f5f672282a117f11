import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class ExecutionRow extends Model<InferAttributes<ExecutionRow>, InferCreationAttributes<ExecutionRow>> {
  declare id: CreationOptional<number>;
  declare clientKey: string;
  declare idempotencyKey: string;
  declare state: string;
  declare source: string;
  declare planSummary: string;
  declare outcome: string | null;
  declare result: string | null;
  declare createdAt: Date;
  declare finishedAt: Date | null;
  declare owner: string | null;
  declare leaseExpiresAt: Date | null;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineExecution(sequelize: Sequelize): ModelStatic<ExecutionRow> {
  class Execution extends ExecutionRow {}
  Execution.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      idempotencyKey: { type: DataTypes.STRING(255), allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      source: { type: DataTypes.STRING(32), allowNull: false },
      planSummary: { type: DataTypes.TEXT, allowNull: false },
      outcome: { type: DataTypes.STRING(16), allowNull: true },
      result: { type: DataTypes.TEXT, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      finishedAt: { type: DataTypes.DATE, allowNull: true },
      owner: { type: DataTypes.STRING(64), allowNull: true },
      leaseExpiresAt: { type: DataTypes.DATE, allowNull: true },
    },
    { sequelize, tableName: 'executions', modelName: 'Execution', underscored: true, timestamps: false },
  );
  return Execution;
}
