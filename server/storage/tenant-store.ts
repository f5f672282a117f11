import type { SecretBox } from '../auth';
import type { Database } from './create-database';
import type { TenantRow } from './models';

/** A Connect installation, keyed by clientKey. The shared secret is only ever held sealed at rest. */
export interface Tenant {
  clientKey: string;
  appKey: string;
  baseUrl: string;
  baseApiUrl: string;
  workspaceUuid: string | null;
  workspaceSlug: string | null;
  workspaceName: string | null;
  installedByUuid: string | null;
  installedByAccountId: string | null;
  installedAt: Date;
  updatedAt: Date;
}

export interface TenantWithSecret extends Tenant {
  sharedSecret: string;
}

export type TenantInput = Omit<TenantWithSecret, 'installedAt' | 'updatedAt'>;

export interface TenantStore {
  get(clientKey: string): Promise<Tenant | null>;
  getWithSecret(clientKey: string): Promise<TenantWithSecret | null>;
  /** Insert or replace on reinstall; keeps the first installedAt. */
  ensure(input: TenantInput, now: Date): Promise<Tenant>;
  /** Deletes every row this tenant owns, in every table. */
  purge(clientKey: string): Promise<void>;
}

const secretContext = (clientKey: string) => `tenants:${clientKey}:shared_secret`;

function toTenant(row: TenantRow): Tenant {
  return {
    clientKey: row.clientKey,
    appKey: row.appKey,
    baseUrl: row.baseUrl,
    baseApiUrl: row.baseApiUrl,
    workspaceUuid: row.workspaceUuid,
    workspaceSlug: row.workspaceSlug,
    workspaceName: row.workspaceName,
    installedByUuid: row.installedByUuid,
    installedByAccountId: row.installedByAccountId,
    installedAt: new Date(row.installedAt),
    updatedAt: new Date(row.updatedAt),
  };
}

export function createTenantStore(db: Database, box: SecretBox): TenantStore {
  const { Tenant } = db.models;
  return {
    async get(clientKey) {
      const row = await Tenant.findByPk(clientKey);
      return row ? toTenant(row) : null;
    },
    async getWithSecret(clientKey) {
      const row = await Tenant.findByPk(clientKey);
      if (!row) return null;
      return { ...toTenant(row), sharedSecret: box.open(row.sharedSecretSealed, secretContext(clientKey)) };
    },
    async ensure(input, now) {
      const sealed = box.seal(input.sharedSecret, secretContext(input.clientKey));
      return db.sequelize.transaction(async (transaction) => {
        const existing = await Tenant.findByPk(input.clientKey, { transaction });
        const values = {
          clientKey: input.clientKey,
          appKey: input.appKey,
          sharedSecretSealed: sealed,
          baseUrl: input.baseUrl,
          baseApiUrl: input.baseApiUrl,
          workspaceUuid: input.workspaceUuid,
          workspaceSlug: input.workspaceSlug,
          workspaceName: input.workspaceName,
          installedByUuid: input.installedByUuid,
          installedByAccountId: input.installedByAccountId,
          installedAt: existing ? existing.installedAt : now,
          updatedAt: now,
        };
        if (existing) {
          await existing.update(values, { transaction });
          return toTenant(existing);
        }
        return toTenant(await Tenant.create(values, { transaction }));
      });
    },
    async purge(clientKey) {
      await db.sequelize.transaction(async (transaction) => {
        // Every model with a clientKey attribute is tenant-owned: new tables are purged without edits here.
        for (const model of Object.values(db.sequelize.models)) {
          if ('clientKey' in model.getAttributes()) {
            await model.destroy({ where: { clientKey }, transaction });
          }
        }
      });
    },
  };
}
