import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class AuditEntryRow extends Model<InferAttributes<AuditEntryRow>, InferCreationAttributes<AuditEntryRow>> {
  declare id: CreationOptional<number>;
  declare clientKey: string;
  declare idempotencyKey: string;
  declare actorUuid: string | null;
  declare actorAccountId: string | null;
  declare actorKind: string;
  declare actorName: string | null;
  declare actorNickname: string | null;
  declare triggerKind: string;
  declare triggerRef: string | null;
  declare source: string;
  declare planSummary: string;
  declare repositories: string;
  /** Lower-case names and `{uuid}`s, delimited (migration 0014); null only on rows older than it. */
  declare repositoryKeys: string | null;
  declare tools: string;
  declare steps: string;
  declare outcome: string;
  declare message: string;
  declare startedAt: Date;
  declare durationMs: number;
}

/** Binds a fresh subclass to this Sequelize (tests open several databases at once). */
export function defineAuditEntry(sequelize: Sequelize): ModelStatic<AuditEntryRow> {
  class AuditEntry extends AuditEntryRow {}
  AuditEntry.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      clientKey: { type: DataTypes.STRING(255), allowNull: false },
      idempotencyKey: { type: DataTypes.STRING(255), allowNull: false },
      actorUuid: { type: DataTypes.STRING(64), allowNull: true },
      actorAccountId: { type: DataTypes.STRING(128), allowNull: true },
      actorKind: { type: DataTypes.STRING(16), allowNull: false },
      actorName: { type: DataTypes.STRING(255), allowNull: true },
      actorNickname: { type: DataTypes.STRING(255), allowNull: true },
      triggerKind: { type: DataTypes.STRING(128), allowNull: false },
      triggerRef: { type: DataTypes.STRING(255), allowNull: true },
      source: { type: DataTypes.STRING(32), allowNull: false },
      planSummary: { type: DataTypes.TEXT, allowNull: false },
      repositories: { type: DataTypes.TEXT, allowNull: false },
      repositoryKeys: { type: DataTypes.TEXT, allowNull: true },
      tools: { type: DataTypes.TEXT, allowNull: false },
      steps: { type: DataTypes.TEXT, allowNull: false },
      outcome: { type: DataTypes.STRING(16), allowNull: false },
      message: { type: DataTypes.TEXT, allowNull: false },
      startedAt: { type: DataTypes.DATE, allowNull: false },
      durationMs: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'audit_entries', modelName: 'AuditEntry', underscored: true, timestamps: false },
  );
  return AuditEntry;
}
