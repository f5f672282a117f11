import type { Sequelize, Transaction } from 'sequelize';

/**
 * No row of an uninstalled tenant is written after its purge, whichever process or job writes it.
 *
 * Every table with a `client_key` column (but `tenants` and the uninstall record itself) gets a
 * BEFORE INSERT trigger that drops the row while its key is in `uninstalled_tenants` (an upsert's
 * update is dropped with it). The guards are (re)installed after every migration run, from the live
 * schema, so a table added later is guarded without an edit here, as the purge covers it.
 *
 * PostgreSQL, several instances: a guarded insert first takes a shared transaction-level advisory
 * lock on its tenant's key; the uninstall takes the same lock exclusively to record the uninstall
 * ({@link recordUninstall}), so it waits for every transaction that already inserted a row of that
 * tenant to commit, and every insert after it sees the record (the trigger's query reads a fresh
 * snapshot under READ COMMITTED). The purge that follows, in its own transaction, then finds every
 * row there is. Recording in a transaction of its own keeps the purge's row locks out of the lock
 * order: a writer that holds a row lock and waits for the advisory lock cannot deadlock with it.
 * SQLite has one writer at a time, so the trigger's check in the writer's own transaction suffices.
 */

export const UNINSTALLED_TENANTS_TABLE = 'uninstalled_tenants';
const TRIGGER = 'bosun_tenant_guard';
const FUNCTION = 'bosun_refuse_uninstalled_tenant';
/** First key of the two-key advisory lock space (the one-key space holds the migrations' lock). */
const LOCK_NAMESPACE = 1114600302;
const UNGUARDED = new Set(['tenants', UNINSTALLED_TENANTS_TABLE]);

const quoteIdentifier = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected table name for a tenant guard: ${name}`);
  return `"${name}"`;
};

/** The tables holding tenant rows, read from the schema (every tenant-owned table has client_key). */
export async function listTenantTables(sequelize: Sequelize, transaction?: Transaction): Promise<string[]> {
  const sql = sequelize.getDialect() === 'postgres'
    ? "SELECT table_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'client_key' AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')"
    : "SELECT m.name AS name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'client_key')";
  const [rows] = await sequelize.query(sql, { transaction });
  return (rows as Array<{ name: string }>).map((r) => r.name).filter((name) => !UNGUARDED.has(name)).sort();
}

/** The tenant tables whose guard is in place. */
export async function listGuardedTables(sequelize: Sequelize, transaction?: Transaction): Promise<string[]> {
  const sql = sequelize.getDialect() === 'postgres'
    ? `SELECT c.relname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE t.tgname = '${TRIGGER}' AND n.nspname = current_schema()`
    : `SELECT tbl_name AS name FROM sqlite_master WHERE type = 'trigger' AND name = '${TRIGGER}_' || tbl_name`;
  const [rows] = await sequelize.query(sql, { transaction });
  return (rows as Array<{ name: string }>).map((r) => r.name).sort();
}

/** Installs the guard on every tenant table that lacks one (run inside the migrations' transaction). */
export async function installTenantWriteGuards(sequelize: Sequelize, transaction: Transaction): Promise<void> {
  const run = async (statement: string) => void (await sequelize.query(statement, { transaction }));
  const guarded = new Set(await listGuardedTables(sequelize, transaction));
  const missing = (await listTenantTables(sequelize, transaction)).filter((t) => !guarded.has(t));
  if (missing.length === 0) return;
  if (sequelize.getDialect() === 'postgres') {
    await run(`CREATE OR REPLACE FUNCTION ${FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(${LOCK_NAMESPACE}, hashtext(NEW.client_key));
        IF EXISTS (SELECT 1 FROM ${UNINSTALLED_TENANTS_TABLE} WHERE client_key = NEW.client_key) THEN
          RETURN NULL;
        END IF;
        RETURN NEW;
      END $fn$`);
    for (const table of missing) {
      await run(`CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON ${quoteIdentifier(table)} FOR EACH ROW EXECUTE FUNCTION ${FUNCTION}()`);
    }
    return;
  }
  for (const table of missing) {
    await run(`CREATE TRIGGER IF NOT EXISTS ${quoteIdentifier(`${TRIGGER}_${table}`)} BEFORE INSERT ON ${quoteIdentifier(table)}
      WHEN EXISTS (SELECT 1 FROM ${UNINSTALLED_TENANTS_TABLE} WHERE client_key = NEW.client_key)
      BEGIN SELECT RAISE(IGNORE); END`);
  }
}

/**
 * Records the uninstall before the purge: from its commit on no row of the tenant is inserted, and
 * (PostgreSQL) it commits only once every transaction that inserted one has.
 */
export async function recordUninstall(sequelize: Sequelize, clientKey: string, at: Date): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    if (sequelize.getDialect() === 'postgres') {
      await sequelize.query('SELECT pg_advisory_xact_lock(:namespace, hashtext(:clientKey))', { replacements: { namespace: LOCK_NAMESPACE, clientKey }, transaction });
    }
    await sequelize.query(
      `INSERT INTO ${UNINSTALLED_TENANTS_TABLE} (client_key, uninstalled_at) VALUES (:clientKey, :at)
       ON CONFLICT (client_key) DO UPDATE SET uninstalled_at = excluded.uninstalled_at`,
      { replacements: { clientKey, at }, transaction },
    );
  });
}

/** A (re)install of the key lets its rows be written again. */
export async function clearUninstall(sequelize: Sequelize, clientKey: string): Promise<void> {
  await sequelize.query(`DELETE FROM ${UNINSTALLED_TENANTS_TABLE} WHERE client_key = :clientKey`, { replacements: { clientKey } });
}
