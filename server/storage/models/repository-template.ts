import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

export class RepositoryTemplateRow extends Model<InferAttributes<RepositoryTemplateRow>, InferCreationAttributes<RepositoryTemplateRow>> {
  declare clientKey: string;
  declare name: string;
  /** The validated template as JSON. */
  declare template: string;
  declare version: number;
  declare updatedBy: string;
  declare updatedAt: Date;
}

export class RepositoryTemplateBindingRow extends Model<InferAttributes<RepositoryTemplateBindingRow>, InferCreationAttributes<RepositoryTemplateBindingRow>> {
  declare clientKey: string;
  declare fullName: string;
  declare template: string;
  declare status: string;
  /** JSON arrays of setting changes. */
  declare applied: string;
  declare pending: string;
  declare error: string | null;
  declare checkedAt: Date;
}

/** Binds fresh subclasses to this Sequelize (tests open several databases at once). */
export function defineRepositoryTemplateModels(sequelize: Sequelize): {
  RepositoryTemplate: ModelStatic<RepositoryTemplateRow>;
  RepositoryTemplateBinding: ModelStatic<RepositoryTemplateBindingRow>;
} {
  class RepositoryTemplate extends RepositoryTemplateRow {}
  RepositoryTemplate.init(
    {
      clientKey: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      name: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      template: { type: DataTypes.TEXT, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      updatedBy: { type: DataTypes.STRING(255), allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'repository_templates', modelName: 'RepositoryTemplate', underscored: true, timestamps: false },
  );
  class RepositoryTemplateBinding extends RepositoryTemplateBindingRow {}
  RepositoryTemplateBinding.init(
    {
      clientKey: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      fullName: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      template: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      applied: { type: DataTypes.TEXT, allowNull: false },
      pending: { type: DataTypes.TEXT, allowNull: false },
      error: { type: DataTypes.TEXT, allowNull: true },
      checkedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'repository_template_bindings', modelName: 'RepositoryTemplateBinding', underscored: true, timestamps: false },
  );
  return { RepositoryTemplate, RepositoryTemplateBinding };
}
