import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, type Options } from 'sequelize';
import type { Logger } from '../log';
import { defineModels, type Models } from './models';
import { runMigrations } from './migrations';

export interface Database {
  sequelize: Sequelize;
  models: Models;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  logger: Logger;
  /** PostgreSQL only: a schema to use instead of public (tests isolate runs this way). */
  schema?: string;
}

/** Opens the store named by DATABASE_URL (sqlite:<file> or postgres://…) and brings its schema up to date. */
export async function createDatabase(opts: DatabaseOptions): Promise<Database> {
  const isSqlite = opts.url.startsWith('sqlite:');
  const base: Options = {
    logging: false,
    define: { underscored: true, timestamps: false },
  };
  let sequelize: Sequelize;
  if (isSqlite) {
    const file = opts.url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    sequelize = new Sequelize({ ...base, dialect: 'sqlite', storage: file });
    applyBusyTimeoutToEveryConnection(sequelize);
  } else {
    sequelize = new Sequelize(opts.url, {
      ...base,
      dialect: 'postgres',
      pool: { max: 10, min: 0, idle: 10_000 },
      dialectOptions: opts.schema ? { options: `-c search_path=${opts.schema}` } : {},
    });
  }
  await sequelize.authenticate();
  if (isSqlite) {
    // WAL lets the worker read while a request writes; busy_timeout rides out short write locks.
    await sequelize.query('PRAGMA journal_mode = WAL');
    await sequelize.query('PRAGMA busy_timeout = 5000');
    // In WAL mode NORMAL is crash-safe for the process (an OS crash may lose the last commits);
    // FULL would fsync every commit, which caps webhook intake at a few hundred per second.
    await sequelize.query('PRAGMA synchronous = NORMAL');
    await sequelize.query('PRAGMA foreign_keys = ON');
  }
  await runMigrations(sequelize, opts.logger);
  const models = defineModels(sequelize);
  return {
    sequelize,
    models,
    dialect: isSqlite ? 'sqlite' : 'postgres',
    close: () => sequelize.close(),
  };
}

interface SqliteConnectionManager {
  getConnection(options?: unknown): Promise<{ configure?: (option: 'busyTimeout', ms: number) => void }>;
}

/**
 * Sequelize opens a separate SQLite connection per transaction, and a PRAGMA run on the default
 * connection does not reach those: without a busy timeout a transaction that meets another
 * writer fails at once with SQLITE_BUSY instead of waiting its turn.
 */
function applyBusyTimeoutToEveryConnection(sequelize: Sequelize): void {
  const manager = (sequelize as unknown as { connectionManager: SqliteConnectionManager }).connectionManager;
  const open = manager.getConnection.bind(manager);
  manager.getConnection = async (options) => {
    const connection = await open(options);
    connection.configure?.('busyTimeout', 5000);
    return connection;
  };
}
