import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import type { SecretBox } from '../auth/secret-box';
import type { Database } from './create-database';
import type { TenantRow } from './models';
import { clearUninstall, recordUninstall } from './tenant-write-guard';
import { isHostKind, type Tenant, type TenantStore, type TenantWithSecret } from '../host';

export type { Tenant, TenantInput, TenantStore, TenantWithSecret } from '../host';


const secretContext = (clientKey: string) => `tenants:${clientKey}:shared_secret`;

function toTenant(row: TenantRow): Tenant {
  return {
    clientKey: row.clientKey,
    installId: row.installId,
    // A value no host wrote is a Connect row from before hosts were recorded.
    host: isHostKind(row.host) ? row.host : 'connect',
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

export interface TenantStoreOptions {
  /**
   * How long a looked-up installation is reused (every webhook and iframe verifies one). Writes in
   * this process drop it at once; another process's reinstall or uninstall is seen after this long.
   */
  cacheTtlMs?: number;
  nowMs?: () => number;
}

export function createTenantStore(db: Database, box: SecretBox, options: TenantStoreOptions = {}): TenantStore {
  const { Tenant } = db.models;
  const ttl = options.cacheTtlMs ?? 5000;
  const nowMs = options.nowMs ?? Date.now;
  const cache = new Map<string, { value: TenantWithSecret | null; expires: number }>();
  /**
   * Bumped by every write, before and after it. A read that began before a write finished must
   * not put what it read into the cache: under load a webhook's lookup that read the row just
   * before an uninstall purged it used to re-cache the purged installation for 5 s.
   */
  let writes = 0;
  /**
   * One database read per installation at a time: every lookup that misses while it runs waits for it.
   * Without this, each expiry of a busy tenant's entry sent every webhook arriving during the read to
   * the database on its own (33-209 identical reads queued on SQLite's one read connection in the intake
   * bench, each making the next slower): the intake's p99 at 500/s was set by that queue, every 5 s.
   */
  const inflight = new Map<string, Promise<TenantWithSecret | null>>();
  const invalidate = (clientKey: string) => {
    writes += 1;
    cache.delete(clientKey);
    // A lookup that starts after this write must not wait for (and answer) a read that began before it.
    inflight.delete(clientKey);
  };
  const read = async (clientKey: string): Promise<TenantWithSecret | null> => {
    const writesBefore = writes;
    const row = await Tenant.findByPk(clientKey);
    const value = row ? { ...toTenant(row), sharedSecret: box.open(row.sharedSecretSealed, secretContext(clientKey)) } : null;
    // Unknown issuers are not cached: a flood of forged keys must not grow the map.
    if (value && ttl > 0 && writes === writesBefore) cache.set(clientKey, { value, expires: nowMs() + ttl });
    // A read that finds the installation gone drops what the cache still holds of it.
    else if (!value && writes === writesBefore) cache.delete(clientKey);
    return value;
  };
  const readShared = (clientKey: string): Promise<TenantWithSecret | null> => {
    const running = inflight.get(clientKey);
    if (running) return running;
    const pending = read(clientKey).finally(() => {
      if (inflight.get(clientKey) === pending) inflight.delete(clientKey);
    });
    inflight.set(clientKey, pending);
    return pending;
  };
  /** In the last fifth of an entry's life a lookup answers from the cache and renews the entry in the background. */
  const refreshAheadMs = ttl / 5;
  const load = async (clientKey: string, options?: { fresh?: boolean }): Promise<TenantWithSecret | null> => {
    // A fresh read is the caller's own (it must see the record as it is now, not a read already under way).
    if (options?.fresh) return read(clientKey);
    const hit = cache.get(clientKey);
    const at = nowMs();
    if (hit && hit.expires > at) {
      // Renewed before it expires, so a busy tenant's webhooks never wait for this read: an entry is
      // still never answered past its TTL (a failed renewal leaves it to expire and the next miss reads).
      if (hit.expires - at <= refreshAheadMs && !inflight.has(clientKey)) readShared(clientKey).catch(() => undefined);
      return hit.value;
    }
    return readShared(clientKey);
  };
  return {
    async get(clientKey) {
      const value = await load(clientKey);
      if (!value) return null;
      const { sharedSecret: _secret, ...tenant } = value;
      return tenant;
    },
    getWithSecret: load,
    async ensure(input, now) {
      invalidate(input.clientKey);
      // A reinstall of an uninstalled key: its rows may be written again (tenant-write-guard.ts).
      await clearUninstall(db.sequelize, input.clientKey);
      const sealed = box.seal(input.sharedSecret, secretContext(input.clientKey));
      // One statement, so concurrent installs (of one clientKey or many) neither race nor hold a
      // transaction open: a reinstall keeps its install_id and installed_at, a new row gets fresh ones.
      const rows = await db.sequelize.query<Record<string, unknown>>(
        `/* tenant upsert */ INSERT INTO tenants (client_key, install_id, host, app_key, shared_secret_sealed, base_url, base_api_url,
           workspace_uuid, workspace_slug, workspace_name, installed_by_uuid, installed_by_account_id, installed_at, updated_at)
         VALUES (:clientKey, :installId, :host, :appKey, :sealed, :baseUrl, :baseApiUrl, :workspaceUuid, :workspaceSlug, :workspaceName,
           :installedByUuid, :installedByAccountId, :now, :now)
         ON CONFLICT (client_key) DO UPDATE SET host = excluded.host, app_key = excluded.app_key, shared_secret_sealed = excluded.shared_secret_sealed,
           base_url = excluded.base_url, base_api_url = excluded.base_api_url, workspace_uuid = excluded.workspace_uuid,
           workspace_slug = excluded.workspace_slug, workspace_name = excluded.workspace_name,
           installed_by_uuid = excluded.installed_by_uuid, installed_by_account_id = excluded.installed_by_account_id,
           updated_at = excluded.updated_at
         RETURNING client_key`,
        {
          replacements: {
            clientKey: input.clientKey,
            installId: randomUUID(),
            host: input.host ?? 'connect',
            appKey: input.appKey,
            sealed,
            baseUrl: input.baseUrl,
            baseApiUrl: input.baseApiUrl,
            workspaceUuid: input.workspaceUuid,
            workspaceSlug: input.workspaceSlug,
            workspaceName: input.workspaceName,
            installedByUuid: input.installedByUuid,
            installedByAccountId: input.installedByAccountId,
            now,
          },
          type: QueryTypes.SELECT,
        },
      );
      if (rows.length !== 1) throw new Error('Storing the installation returned no row');
      const row = await Tenant.findByPk(input.clientKey);
      invalidate(input.clientKey);
      if (!row) throw new Error('The installation just stored is gone (uninstalled meanwhile)');
      return toTenant(row);
    },
    async purge(clientKey) {
      invalidate(clientKey);
      try {
        // First, so a job or request still writing for this tenant cannot leave a row after the purge.
        await recordUninstall(db.sequelize, clientKey, new Date(nowMs()));
        await db.sequelize.transaction(async (transaction) => {
          // Every model with a clientKey attribute is tenant-owned: new tables are purged without edits here.
          for (const model of Object.values(db.sequelize.models)) {
            if ('clientKey' in model.getAttributes()) {
              await model.destroy({ where: { clientKey }, transaction });
            }
          }
        });
      } finally {
        invalidate(clientKey);
      }
    },
  };
}
