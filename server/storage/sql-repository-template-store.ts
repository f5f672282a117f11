import { UniqueConstraintError } from 'sequelize';
import type { RepositorySettingChange } from '../policies/diff-repository-settings';
import { repositoryTemplateSchema } from '../policies/repository-template';
import { TemplateConflictError } from '../policies/repository-template-errors';
import type { RepositoryTemplateStore, StoredRepositoryTemplate, TemplateBinding } from '../policies/repository-template-store';
import type { Database } from './create-database';
import type { RepositoryTemplateBindingRow, RepositoryTemplateRow } from './models/repository-template';

function toStored(row: RepositoryTemplateRow): StoredRepositoryTemplate {
  return {
    // Re-validated on the way out: a row written by an older schema must not reach an apply unchecked.
    template: repositoryTemplateSchema.parse(JSON.parse(row.template)),
    version: row.version,
    updatedBy: row.updatedBy,
    updatedAt: new Date(row.updatedAt),
  };
}

const STATUSES = new Set<TemplateBinding['status']>(['in-sync', 'drifted', 'partial']);

function toBinding(row: RepositoryTemplateBindingRow): TemplateBinding {
  const status = STATUSES.has(row.status as TemplateBinding['status']) ? (row.status as TemplateBinding['status']) : 'drifted';
  return {
    fullName: row.fullName,
    template: row.template,
    status,
    // Written only by ensureBinding below from diffRepositorySettings' output.
    applied: JSON.parse(row.applied) as RepositorySettingChange[],
    pending: JSON.parse(row.pending) as RepositorySettingChange[],
    error: row.error,
    checkedAt: new Date(row.checkedAt),
  };
}

/** Sequelize {@link RepositoryTemplateStore} over `repository_templates` and `repository_template_bindings`. */
export function createSqlRepositoryTemplateStore(db: Database, now: () => Date = () => new Date()): RepositoryTemplateStore {
  const { RepositoryTemplate, RepositoryTemplateBinding } = db.models;
  return {
    async list(clientKey) {
      const rows = await RepositoryTemplate.findAll({ where: { clientKey }, order: [['name', 'ASC']] });
      return rows.map(toStored);
    },
    async get(clientKey, name) {
      const row = await RepositoryTemplate.findOne({ where: { clientKey, name } });
      return row ? toStored(row) : null;
    },
    async save(clientKey, template, updatedBy, expectedVersion) {
      const checked = repositoryTemplateSchema.parse(template);
      const at = now();
      const values = { template: JSON.stringify(checked), version: expectedVersion + 1, updatedBy, updatedAt: at };
      const conflict = async () => {
        const current = await RepositoryTemplate.findOne({ where: { clientKey, name: checked.name } });
        return new TemplateConflictError(checked.name, current?.version ?? 0);
      };
      if (expectedVersion === 0) {
        try {
          await RepositoryTemplate.create({ clientKey, name: checked.name, ...values });
        } catch (error) {
          if (!(error instanceof UniqueConstraintError)) throw error;
          throw await conflict();
        }
      } else {
        // Guarded on the version so two saves from the same version cannot both win.
        const [changed] = await RepositoryTemplate.update(values, { where: { clientKey, name: checked.name, version: expectedVersion } });
        if (changed === 0) throw await conflict();
      }
      return { template: checked, version: expectedVersion + 1, updatedBy, updatedAt: at };
    },
    async delete(clientKey, name) {
      return db.sequelize.transaction(async (transaction) => {
        await RepositoryTemplateBinding.destroy({ where: { clientKey, template: name }, transaction });
        return (await RepositoryTemplate.destroy({ where: { clientKey, name }, transaction })) > 0;
      });
    },
    async listBindings(clientKey, template) {
      const rows = await RepositoryTemplateBinding.findAll({
        where: { clientKey, ...(template !== undefined ? { template } : {}) },
        order: [['fullName', 'ASC']],
      });
      return rows.map(toBinding);
    },
    async getBinding(clientKey, fullName) {
      const row = await RepositoryTemplateBinding.findOne({ where: { clientKey, fullName } });
      return row ? toBinding(row) : null;
    },
    async ensureBinding(clientKey, binding) {
      await RepositoryTemplateBinding.upsert({
        clientKey,
        fullName: binding.fullName,
        template: binding.template,
        status: binding.status,
        applied: JSON.stringify(binding.applied),
        pending: JSON.stringify(binding.pending),
        error: binding.error,
        checkedAt: binding.checkedAt,
      });
    },
  };
}
