import { DataTypes, type QueryInterface, type Sequelize } from 'sequelize';
import type { Logger } from '../log';

interface Migration {
  id: string;
  up(qi: QueryInterface): Promise<void>;
}

/**
 * Append-only: never edit a migration that has shipped, add a new one.
 * Every tenant-owned table has a `client_key` column: uninstall purges by it.
 */
export const MIGRATIONS: Migration[] = [
  {
    id: '0001-tenants',
    async up(qi) {
      await qi.createTable('tenants', {
        client_key: { type: DataTypes.STRING(255), primaryKey: true },
        app_key: { type: DataTypes.STRING(64), allowNull: false },
        shared_secret_sealed: { type: DataTypes.TEXT, allowNull: false },
        base_url: { type: DataTypes.STRING(512), allowNull: false },
        base_api_url: { type: DataTypes.STRING(512), allowNull: false },
        workspace_uuid: { type: DataTypes.STRING(64), allowNull: true },
        workspace_slug: { type: DataTypes.STRING(255), allowNull: true },
        workspace_name: { type: DataTypes.STRING(255), allowNull: true },
        installed_by_uuid: { type: DataTypes.STRING(64), allowNull: true },
        installed_by_account_id: { type: DataTypes.STRING(128), allowNull: true },
        installed_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      });
    },
  },
  {
    id: '0002-webhook-deliveries',
    async up(qi) {
      await qi.createTable('webhook_deliveries', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        client_key: { type: DataTypes.STRING(255), allowNull: false },
        request_uuid: { type: DataTypes.STRING(64), allowNull: false },
        hook_uuid: { type: DataTypes.STRING(64), allowNull: true },
        event_key: { type: DataTypes.STRING(64), allowNull: false },
        attempt: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        repository_uuid: { type: DataTypes.STRING(64), allowNull: true },
        pullrequest_id: { type: DataTypes.INTEGER, allowNull: true },
        payload: { type: DataTypes.TEXT, allowNull: false },
        received_at: { type: DataTypes.DATE, allowNull: false },
      });
      await qi.addIndex('webhook_deliveries', ['client_key', 'request_uuid'], {
        unique: true,
        name: 'webhook_deliveries_tenant_request',
      });
      await qi.addIndex('webhook_deliveries', ['client_key', 'received_at'], { name: 'webhook_deliveries_tenant_time' });
    },
  },
  {
    id: '0003-jobs',
    async up(qi) {
      await qi.createTable('jobs', {
        id: { type: DataTypes.STRING(36), primaryKey: true },
        client_key: { type: DataTypes.STRING(255), allowNull: false },
        type: { type: DataTypes.STRING(128), allowNull: false },
        payload: { type: DataTypes.TEXT, allowNull: false },
        state: { type: DataTypes.STRING(16), allowNull: false },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        max_attempts: { type: DataTypes.INTEGER, allowNull: false },
        priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        dedupe_key: { type: DataTypes.STRING(255), allowNull: true },
        run_at: { type: DataTypes.DATE, allowNull: false },
        locked_by: { type: DataTypes.STRING(255), allowNull: true },
        lease_expires_at: { type: DataTypes.DATE, allowNull: true },
        last_error: { type: DataTypes.TEXT, allowNull: true },
        result: { type: DataTypes.TEXT, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      });
      // NULL dedupe keys never collide (SQLite and PostgreSQL both treat NULLs as distinct).
      await qi.addIndex('jobs', ['client_key', 'dedupe_key'], { unique: true, name: 'jobs_tenant_dedupe' });
      // The claim query: due queued jobs, and running jobs whose lease ran out.
      await qi.addIndex('jobs', ['state', 'run_at'], { name: 'jobs_claim_due' });
      await qi.addIndex('jobs', ['state', 'lease_expires_at'], { name: 'jobs_claim_expired' });
      await qi.addIndex('jobs', ['client_key', 'state', 'created_at'], { name: 'jobs_tenant_list' });
    },
  },
];

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
      await migration.up(withTransaction(qi, transaction));
      await sequelize.query('INSERT INTO bosun_migrations (id, applied_at) VALUES (?, ?)', {
        replacements: [migration.id, new Date().toISOString()],
        transaction,
      });
      logger.info('Applied database migration', { migration: migration.id });
    }
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
