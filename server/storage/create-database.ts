import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction, type Options } from 'sequelize';
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
    // IMMEDIATE: a transaction that reads then writes takes the write lock up front. A deferred one
    // that meets another writer between its read and its write fails at once with SQLITE_BUSY
    // (the busy timeout cannot help a snapshot that is already stale).
    sequelize = new Sequelize({ ...base, dialect: 'sqlite', storage: file, transactionType: Transaction.TYPES.IMMEDIATE });
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
    await sequelize.query('PRAGMA wal_autocheckpoint = 0');
    await sequelize.query('PRAGMA foreign_keys = ON');
  }
  await runMigrations(sequelize, opts.logger);
  const models = defineModels(sequelize);
  const checkpoints = isSqlite ? startBackgroundCheckpoints(sequelize, opts.logger) : null;
  return {
    sequelize,
    models,
    dialect: isSqlite ? 'sqlite' : 'postgres',
    close: async () => {
      if (checkpoints) clearInterval(checkpoints);
      await sequelize.close();
    },
  };
}

/**
 * SQLite folds the WAL back into the database file when a commit pushes it past 1,000 pages,
 * and that commit waits for the copy: a latency spike on whichever webhook is unlucky. Here no
 * commit checkpoints (wal_autocheckpoint = 0 on every connection) and a timer does it instead,
 * PASSIVE, so it never blocks a writer.
 */
function startBackgroundCheckpoints(sequelize: Sequelize, logger: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    sequelize.query('PRAGMA wal_checkpoint(PASSIVE)').catch((err: unknown) => logger.warn('SQLite checkpoint failed', { err }));
  }, 1000);
  timer.unref();
  return timer;
}

interface SqliteConnection {
  uuid?: string;
  configure?: (option: 'busyTimeout', ms: number) => void;
  run(sql: string): void;
  close(): void;
}

interface SqliteConnectionManager {
  connections: Record<string, SqliteConnection>;
  getConnection(options?: { uuid?: string }): Promise<SqliteConnection>;
  releaseConnection(connection: SqliteConnection, force?: boolean): unknown;
}

/** Idle transaction connections kept open for reuse. */
const SQLITE_POOL_SIZE = 4;

/**
 * Sequelize opens a new SQLite connection for every transaction and closes it after, and a
 * PRAGMA run on the default connection does not reach those. Two fixes in one place:
 * - every connection gets a busy timeout, so a transaction that meets another writer waits its
 *   turn instead of failing at once with SQLITE_BUSY, and synchronous = NORMAL, so a commit does
 *   not fsync (WAL stays consistent; only a power loss can drop the last commits);
 * - finished transaction connections are kept (a few) and reused, instead of paying ~1.5 ms to open
 *   a file, read the WAL index and run pragmas on every transaction.
 */
function applyBusyTimeoutToEveryConnection(sequelize: Sequelize): void {
  const manager = (sequelize as unknown as { connectionManager: SqliteConnectionManager }).connectionManager;
  const open = manager.getConnection.bind(manager);
  const release = manager.releaseConnection.bind(manager);
  const idle: SqliteConnection[] = [];
  manager.getConnection = async (options) => {
    const uuid = options?.uuid;
    if (uuid && uuid !== 'default' && !manager.connections[uuid]) {
      const reused = idle.pop();
      if (reused) {
        manager.connections[uuid] = reused;
        return reused;
      }
    }
    const connection = await open(options);
    connection.configure?.('busyTimeout', 5000);
    // Per connection, like busy_timeout: see the note where the default connection sets it.
    connection.run('PRAGMA synchronous = NORMAL');
    connection.run('PRAGMA wal_autocheckpoint = 0');
    return connection;
  };
  manager.releaseConnection = (connection, force) => {
    if (connection.uuid && force !== true && idle.length < SQLITE_POOL_SIZE) {
      delete manager.connections[connection.uuid];
      idle.push(connection);
      return undefined;
    }
    return release(connection, force);
  };
  const close = sequelize.close.bind(sequelize);
  sequelize.close = async () => {
    for (const connection of idle.splice(0)) connection.close();
    return close();
  };
}
