import { UniqueConstraintError } from 'sequelize';
import { PolicyConflictError, policyLayerSchema, type PolicyScope, type PolicyStore, type StoredPolicy } from '../policies';
import type { Database } from './create-database';
import type { PolicyRow } from './models';

function toStoredPolicy(row: PolicyRow): StoredPolicy {
  return {
    scope: row.scope as PolicyScope,
    // Re-validated on the way out: a row written by an older schema must not reach a rule unchecked.
    layer: policyLayerSchema.parse(JSON.parse(row.layer)),
    version: row.version,
    updatedBy: row.updatedBy,
    updatedAt: new Date(row.updatedAt),
  };
}

/** Sequelize {@link PolicyStore} over `policies`: one row per tenant and scope, saved under an optimistic version. */
export function createSqlPolicyStore(db: Database, now: () => Date = () => new Date()): PolicyStore {
  const { Policy } = db.models;
  return {
    async get(clientKey, scope) {
      const row = await Policy.findOne({ where: { clientKey, scope } });
      return row ? toStoredPolicy(row) : null;
    },
    async list(clientKey) {
      const rows = await Policy.findAll({ where: { clientKey }, order: [['scope', 'ASC']] });
      return rows.map(toStoredPolicy);
    },
    async save(clientKey, scope, layer, updatedBy, expectedVersion) {
      const checked = policyLayerSchema.parse(layer);
      const at = now();
      const values = { layer: JSON.stringify(checked), version: expectedVersion + 1, updatedBy, updatedAt: at };
      if (expectedVersion === 0) {
        try {
          await Policy.create({ clientKey, scope, ...values });
        } catch (error) {
          if (!(error instanceof UniqueConstraintError)) throw error;
          const current = await Policy.findOne({ where: { clientKey, scope } });
          throw new PolicyConflictError(scope, current?.version ?? 0);
        }
      } else {
        // Guarded on the version so two saves from the same version cannot both win.
        const [changed] = await Policy.update(values, { where: { clientKey, scope, version: expectedVersion } });
        if (changed === 0) {
          const current = await Policy.findOne({ where: { clientKey, scope } });
          throw new PolicyConflictError(scope, current?.version ?? 0);
        }
      }
      return { scope, layer: checked, version: expectedVersion + 1, updatedBy, updatedAt: at };
    },
  };
}
