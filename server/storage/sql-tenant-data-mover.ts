import { QueryTypes, type Transaction } from 'sequelize';
import { tokenContext, type SecretBox } from '../auth';
import type { Tenant } from '../host';
import type { Database } from './create-database';
import { createTenantStore } from './tenant-store';

/** Same shapes as forge/migrate-connect-tenant.ts's port (storage may not import forge; the CLI wires them). */
export interface SqlTenantMoveReport {
  moved: Record<string, number>;
  replaced: Record<string, number>;
  resealed: number;
}
export interface SqlTenantMigrationRecord {
  connectClientKey: string;
  forgeClientKey: string;
  workspaceUuid: string;
  migratedAt: Date;
}

/** ci_integrations seals each secret to `ci-integration:<clientKey>:<id>` (sql-ci-integration-store.ts). */
const ciSecretContext = (clientKey: string, id: string) => `ci-integration:${clientKey}:${id}`;

/** Thrown inside a dry run's transaction to roll it back with its report. */
class DryRunRollback extends Error {
  constructor(readonly report: SqlTenantMoveReport) {
    super('dry run');
  }
}

interface OwnedTable {
  table: string;
  /** Unique keys (the primary key and unique indexes) that include client_key, as their other columns. */
  uniqueRest: string[][];
}

/**
 * Connect → Forge on SQL: re-owns a tenant's rows in every tenant-owned table (every model with a
 * clientKey, as purge finds them), in one transaction. Where a moved row has the same unique key as
 * one the Forge installation already has (a mirror row both synced, a budget minute), the moved row
 * wins. Values sealed with the clientKey in their context (user tokens, CI secrets) are opened and
 * sealed again for the new key; the tenant's own shared secret goes with its record.
 */
export function createSqlTenantDataMover(db: Database, box: SecretBox) {
  const { sequelize } = db;
  const q = (name: string) => sequelize.getQueryInterface().quoteIdentifier(name);

  const uniqueKeysOf = async (table: string, transaction: Transaction): Promise<string[][]> => {
    if (db.dialect === 'sqlite') {
      const indexes = await sequelize.query<{ name: string; unique: number }>(`PRAGMA index_list(${q(table)})`, { type: QueryTypes.SELECT, transaction });
      const keys: string[][] = [];
      for (const index of indexes.filter((i) => Number(i.unique) === 1)) {
        const cols = await sequelize.query<{ name: string }>(`PRAGMA index_info(${q(index.name)})`, { type: QueryTypes.SELECT, transaction });
        keys.push(cols.map((c) => c.name));
      }
      return keys;
    }
    const rows = await sequelize.query<{ name: string; cols: string[] | string }>(
      `SELECT i.relname AS name, array_agg(a.attname::text ORDER BY k.ord) AS cols
         FROM pg_index x
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE t.relname = :table AND n.nspname = current_schema() AND x.indisunique
        GROUP BY i.relname`,
      { replacements: { table }, type: QueryTypes.SELECT, transaction },
    );
    return rows.map((r) => (Array.isArray(r.cols) ? r.cols : String(r.cols).replace(/^\{|\}$/g, '').split(',')));
  };

  const ownedTables = async (transaction: Transaction): Promise<OwnedTable[]> => {
    const tables: OwnedTable[] = [];
    for (const model of Object.values(sequelize.models)) {
      const attributes = model.getAttributes();
      if (!('clientKey' in attributes) || model === db.models.Tenant) continue;
      const table = String(model.getTableName());
      const column = attributes.clientKey?.field ?? 'client_key';
      const primary = Object.values(attributes).filter((a) => a.primaryKey).map((a) => a.field ?? '');
      const keys = [primary, ...(await uniqueKeysOf(table, transaction))].filter((k) => k.includes(column));
      tables.push({ table, uniqueRest: keys.map((k) => k.filter((c) => c !== column)) });
    }
    return tables;
  };

  const count = async (table: string, clientKey: string, transaction: Transaction) => {
    const [row] = await sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${q(table)} WHERE client_key = :clientKey`, { replacements: { clientKey }, type: QueryTypes.SELECT, transaction });
    return Number(row?.n ?? 0);
  };

  const moveRows = async (from: string, to: string, transaction: Transaction): Promise<SqlTenantMoveReport> => {
    const report: SqlTenantMoveReport = { moved: {}, replaced: {}, resealed: 0 };
    const replacements = { from, to };
    const tables = await ownedTables(transaction);
    // 1. The Forge installation's rows that a moved row would collide with give way.
    for (const { table, uniqueRest } of tables) {
      let replaced = 0;
      for (const rest of uniqueRest) {
        const match = rest.length === 0 ? '' : ` AND ${rest.map((c) => `s.${q(c)} = ${q(table)}.${q(c)}`).join(' AND ')}`;
        const before = await count(table, to, transaction);
        await sequelize.query(
          `DELETE FROM ${q(table)} WHERE client_key = :to AND EXISTS (SELECT 1 FROM ${q(table)} s WHERE s.client_key = :from${match})`,
          { replacements, transaction },
        );
        replaced += before - (await count(table, to, transaction));
      }
      if (replaced > 0) report.replaced[table] = replaced;
    }
    // 2. Values sealed to the old key: opened and sealed to the new one as their rows move.
    const { UserConnection, CiIntegration } = db.models;
    for (const row of await UserConnection.findAll({ where: { clientKey: from }, transaction })) {
      const access = box.open(row.accessTokenSealed, tokenContext(from, row.userUuid, 'access'));
      const refresh = row.refreshTokenSealed ? box.open(row.refreshTokenSealed, tokenContext(from, row.userUuid, 'refresh')) : null;
      await row.update(
        {
          clientKey: to,
          accessTokenSealed: box.seal(access, tokenContext(to, row.userUuid, 'access')),
          refreshTokenSealed: refresh === null ? null : box.seal(refresh, tokenContext(to, row.userUuid, 'refresh')),
        },
        { transaction },
      );
      report.resealed += refresh === null ? 1 : 2;
      report.moved.user_connections = (report.moved.user_connections ?? 0) + 1;
    }
    for (const row of await CiIntegration.findAll({ where: { clientKey: from }, transaction })) {
      const secret = box.open(row.secretSealed, ciSecretContext(from, row.id));
      await row.update({ clientKey: to, secretSealed: box.seal(secret, ciSecretContext(to, row.id)) }, { transaction });
      report.resealed += 1;
      report.moved.ci_integrations = (report.moved.ci_integrations ?? 0) + 1;
    }
    // 3. Everything else changes owner as it is.
    for (const { table } of tables) {
      const n = await count(table, from, transaction);
      if (n === 0) continue;
      await sequelize.query(`UPDATE ${q(table)} SET client_key = :to WHERE client_key = :from`, { replacements, transaction });
      report.moved[table] = (report.moved[table] ?? 0) + n;
    }
    return report;
  };

  return {
    async tenantsOfWorkspace(workspaceUuid: string): Promise<Tenant[]> {
      const rows = await db.models.Tenant.findAll({ where: { workspaceUuid }, order: [['installedAt', 'ASC']] });
      // Read through the tenant store so the shapes (host, dates) are the port's.
      const store = createTenantStore(db, box, { cacheTtlMs: 0 });
      const tenants = await Promise.all(rows.map((r) => store.get(r.clientKey)));
      return tenants.filter((t): t is Tenant => t !== null);
    },

    async findMigration(query: { connectClientKey: string } | { workspaceUuid: string }): Promise<SqlTenantMigrationRecord | null> {
      const where = 'connectClientKey' in query ? 'connect_client_key = :key' : 'workspace_uuid = :key';
      const key = 'connectClientKey' in query ? query.connectClientKey : query.workspaceUuid;
      const [row] = await sequelize.query<{ connect_client_key: string; forge_client_key: string; workspace_uuid: string; migrated_at: string }>(
        `SELECT connect_client_key, forge_client_key, workspace_uuid, migrated_at FROM tenant_migrations WHERE ${where} ORDER BY migrated_at DESC LIMIT 1`,
        { replacements: { key }, type: QueryTypes.SELECT },
      );
      return row ? { connectClientKey: row.connect_client_key, forgeClientKey: row.forge_client_key, workspaceUuid: row.workspace_uuid, migratedAt: new Date(row.migrated_at) } : null;
    },

    async move(input: { from: Tenant; to: Tenant; now: Date; dryRun: boolean }): Promise<SqlTenantMoveReport> {
      const { from, to } = input;
      try {
        return await sequelize.transaction(async (transaction) => {
          // Under the transaction: both records still exist (a concurrent run or uninstall loses here).
          const present = await db.models.Tenant.count({ where: { clientKey: [from.clientKey, to.clientKey] }, transaction });
          if (present !== 2) throw new Error('One of the two installations is gone (migrated or uninstalled meanwhile); run the migration again to see its state');
          const report = await moveRows(from.clientKey, to.clientKey, transaction);
          await db.models.Tenant.destroy({ where: { clientKey: from.clientKey }, transaction });
          const rows = Object.values(report.moved).reduce((a, b) => a + b, 0);
          await sequelize.query(
            `INSERT INTO tenant_migrations (connect_client_key, forge_client_key, workspace_uuid, rows_moved, resealed, migrated_at)
             VALUES (:from, :to, :workspace, :rows, :resealed, :at)`,
            { replacements: { from: from.clientKey, to: to.clientKey, workspace: to.workspaceUuid ?? '', rows, resealed: report.resealed, at: input.now.toISOString() }, transaction },
          );
          if (input.dryRun) throw new DryRunRollback(report);
          return report;
        });
      } catch (err) {
        if (err instanceof DryRunRollback) return err.report;
        throw err;
      }
    },
  };
}
