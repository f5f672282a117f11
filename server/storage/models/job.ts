import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

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

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineJob(sequelize: Sequelize): ModelStatic<JobRow> {
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
  return Job;
}
