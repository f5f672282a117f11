import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class MergeQueueRow extends Model<InferAttributes<MergeQueueRow>, InferCreationAttributes<MergeQueueRow>> {
  declare clientKey: string;
  declare repository: string;
  declare branch: string;
  declare version: number;
  /** The queue as JSON (server/merge-queue QueueState). */
  declare state: string;
  declare updatedAt: Date;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineMergeQueue(sequelize: Sequelize): ModelStatic<MergeQueueRow> {
  class MergeQueue extends MergeQueueRow {}
  MergeQueue.init(
    {
      clientKey: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      repository: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      branch: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      version: { type: DataTypes.INTEGER, allowNull: false },
      state: { type: DataTypes.TEXT, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'merge_queues', modelName: 'MergeQueue', underscored: true, timestamps: false },
  );
  return MergeQueue;
}
