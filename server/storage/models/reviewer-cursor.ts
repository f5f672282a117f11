import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class ReviewerCursorRow extends Model<InferAttributes<ReviewerCursorRow>, InferCreationAttributes<ReviewerCursorRow>> {
  declare id: CreationOptional<number>;
  declare clientKey: string;
  declare scope: string;
  declare groupSlug: string;
  declare position: number;
  declare version: number;
  declare lastClaim: string | null;
  declare updatedAt: Date;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineReviewerCursor(sequelize: Sequelize): ModelStatic<ReviewerCursorRow> {
  class ReviewerCursor extends ReviewerCursorRow {}
  ReviewerCursor.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      scope: { type: DataTypes.STRING(64), allowNull: false },
      groupSlug: { type: DataTypes.STRING(255), allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      lastClaim: { type: DataTypes.STRING(512), allowNull: true },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'reviewer_cursors', modelName: 'ReviewerCursor', underscored: true, timestamps: false },
  );
  return ReviewerCursor;
}
