import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class AutoMergeRow extends Model<InferAttributes<AutoMergeRow>, InferCreationAttributes<AutoMergeRow>> {
  declare id: CreationOptional<number>;
  declare clientKey: string;
  declare repositoryFullName: string;
  declare repositoryUuid: string | null;
  declare pullRequestId: number;
  declare mergeStrategy: string | null;
  declare requestedByUuid: string | null;
  declare requestedByAccountId: string | null;
  declare state: string;
  declare reason: string | null;
  declare attempts: CreationOptional<number>;
  declare createdAt: Date;
  declare updatedAt: Date;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineAutoMerge(sequelize: Sequelize): ModelStatic<AutoMergeRow> {
  class AutoMerge extends AutoMergeRow {}
  AutoMerge.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      repositoryFullName: { type: DataTypes.STRING(512), allowNull: false },
      repositoryUuid: { type: DataTypes.STRING(64), allowNull: true },
      pullRequestId: { type: DataTypes.INTEGER, allowNull: false },
      mergeStrategy: { type: DataTypes.STRING(32), allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      requestedByUuid: { type: DataTypes.STRING(64), allowNull: true },
      requestedByAccountId: { type: DataTypes.STRING(128), allowNull: true },
      state: { type: DataTypes.STRING(16), allowNull: false },
      reason: { type: DataTypes.TEXT, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'auto_merges', modelName: 'AutoMerge', underscored: true, timestamps: false },
  );
  return AutoMerge;
}
