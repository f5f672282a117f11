import type { QueryInterface, Sequelize } from 'sequelize';
import type { Logger } from '../../log';
import { installTenantWriteGuards } from '../tenant-write-guard';
import { MIGRATIONS } from './all-migrations';

/** Applies pending migrations once, in order; safe when several processes start together on PostgreSQL. */
export async function runMigrations(sequelize: Sequelize, logger: Logger): Promise<void> {
  const qi = sequelize.getQueryInterface();
  const dialect = sequelize.getDialect();
  await sequelize.transaction(async (transaction) => {
    if (dialect === 'postgres') {
      // One migrator at a time across processes; released at commit.
      await sequelize.query("SELECT pg_advisory_xact_lock(hashtext('bosun-migrations'))", { transaction });
    }
    await sequelize.query(
      'CREATE TABLE IF NOT EXISTS bosun_migrations (id VARCHAR(128) PRIMARY KEY, applied_at VARCHAR(32) NOT NULL)',
      { transaction },
    );
    const [rows] = await sequelize.query('SELECT id FROM bosun_migrations', { transaction });
    const applied = new Set((rows as Array<{ id: string }>).map((r) => r.id));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.id)) continue;
      await migration.up(withTransaction(qi, transaction), async (statement, replacements) => {
        const [rows] = await sequelize.query(statement, { transaction, ...(replacements ? { replacements } : {}) });
        return Array.isArray(rows) ? (rows as unknown[]) : [];
      });
      await sequelize.query('INSERT INTO bosun_migrations (id, applied_at) VALUES (?, ?)', {
        replacements: [migration.id, new Date().toISOString()],
        transaction,
      });
      logger.info('Applied database migration', { migration: migration.id });
    }
    // From the schema as it now is: a tenant table added by any migration gets its guard.
    await installTenantWriteGuards(sequelize, transaction);
  });
}

/** QueryInterface calls take their transaction as an option; bind it once. */
function withTransaction(qi: QueryInterface, transaction: unknown): QueryInterface {
  return new Proxy(qi, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'createTable' || prop === 'addIndex' || prop === 'addColumn' || prop === 'removeColumn') {
        return (...args: unknown[]) => {
          const fn = value as (...a: unknown[]) => Promise<unknown>;
          const optsIndex = prop === 'createTable' || prop === 'addIndex' ? 2 : prop === 'addColumn' ? 3 : 2;
          const opts = (args[optsIndex] as Record<string, unknown> | undefined) ?? {};
          args[optsIndex] = { ...opts, transaction };
          return fn.apply(target, args);
        };
      }
      return value;
    },
  });
}
