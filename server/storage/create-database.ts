import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction, type Options } from 'sequelize';
import sqlite3 from 'sqlite3';
import type { Logger } from '../log';
import { defineModels, type Models } from './models';
import { runMigrations } from './migrations';
import { createSqliteWriteGate, type SqliteWriteGate } from './sqlite-write-gate';
import { createSqliteRawWriter, type SqliteRawWriter } from './sqlite-raw-writer';

export interface Database {
  sequelize: Sequelize;
  models: Models;
  dialect: 'sqlite' | 'postgres';
  /**
   * SQLite on a file only: one write transaction on a connection of its own, taken through the write gate,
   * its statements bound by the driver (see raw-transaction-query.ts). The webhook intake's hot path.
   */
  sqliteWriter?: SqliteRawWriter;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  logger: Logger;
  /** PostgreSQL only: a schema to use instead of public (tests isolate runs this way). */
  schema?: string;
  /** SQLite only: the background checkpoints' period and WAL restart threshold (defaults 1 s, 10,000 pages; tests shorten them). */
  sqliteCheckpoints?: { everyMs?: number; restartPages?: number };
}

/** Opens the store named by DATABASE_URL (sqlite:<file> or postgres://…) and brings its schema up to date. */
export async function createDatabase(opts: DatabaseOptions): Promise<Database> {
  const isSqlite = opts.url.startsWith('sqlite:');
  const base: Options = {
    logging: false,
    define: { underscored: true, timestamps: false },
  };
  let sequelize: Sequelize;
  let sqliteFile = '';
  const sqliteGate = createSqliteWriteGate();
  if (isSqlite) {
    const file = opts.url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    // IMMEDIATE: a transaction that reads then writes takes the write lock up front. A deferred one
    // that meets another writer between its read and its write fails at once with SQLITE_BUSY
    // (the busy timeout cannot help a snapshot that is already stale).
    sequelize = new Sequelize({
      ...base,
      dialect: 'sqlite',
      storage: file,
      transactionType: Transaction.TYPES.IMMEDIATE,
      // Only another process can hold the write lock now (the gate below serialises this one's
      // writers), so SQLite's busy handler waits briefly on a pool thread and Sequelize retries
      // on a timer, which costs no thread: ~5 s in all before DatabaseBusy reaches the caller.
      retry: { max: 25, match: [/SQLITE_BUSY/], backoffBase: 20, backoffExponent: 1.15 },
    });
    configureEveryConnection(sequelize);
    sqliteFile = file;
    gateWrites(sequelize, sqliteGate, file !== ':memory:' && file !== '');
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
    // WAL lets the worker read while a request writes; a short busy_timeout rides out another
    // process's commit without parking a pool thread for long.
    await sequelize.query('PRAGMA journal_mode = WAL');
    await sequelize.query(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // In WAL mode NORMAL is crash-safe for the process (an OS crash may lose the last commits);
    // FULL would fsync every commit, which caps webhook intake at a few hundred per second.
    await sequelize.query('PRAGMA synchronous = NORMAL');
    await sequelize.query('PRAGMA wal_autocheckpoint = 0');
    await sequelize.query('PRAGMA foreign_keys = ON');
  }
  await runMigrations(sequelize, opts.logger);
  const models = defineModels(sequelize);
  const stopCheckpoints = isSqlite ? startBackgroundCheckpoints(sequelize, sqliteFile, sqliteGate, opts.logger, opts.sqliteCheckpoints) : null;
  const sqliteWriter = isSqlite && sqliteFile !== ':memory:' && sqliteFile !== '' ? createSqliteRawWriter(sqliteFile, sqliteGate, SQLITE_BUSY_TIMEOUT_MS) : undefined;
  return {
    sequelize,
    models,
    dialect: isSqlite ? 'sqlite' : 'postgres',
    ...(sqliteWriter ? { sqliteWriter } : {}),
    close: async () => {
      stopCheckpoints?.();
      await sqliteWriter?.close();
      await sequelize.close();
    },
  };
}

/** Past this many WAL pages (~40 MB) a checkpoint also takes the write gate, so that the WAL restarts. */
const WAL_RESTART_PAGES = 10_000;

/**
 * SQLite folds the WAL back into the database file when a commit pushes it past 1,000 pages,
 * and that commit waits for the copy: a latency spike on whichever webhook is unlucky. Here no
 * commit checkpoints (wal_autocheckpoint = 0 on every connection) and a timer does it instead,
 * PASSIVE, so it never blocks a writer.
 *
 * It runs on a connection of its own and outside the write gate: a checkpoint copies a second's
 * WAL into the database file and fsyncs it (synchronous = NORMAL syncs at checkpoints), and while it
 * held the gate every webhook arriving meanwhile waited for that fsync (issue 10's p99 at 500/s). A
 * PASSIVE checkpoint beside a writer copies what was committed before it began; the rest goes the
 * next second.
 *
 * Copied is not restarted: SQLite writes the WAL from its start again only when a write transaction
 * begins with every frame already copied, and under a writer that never pauses for a whole checkpoint
 * (the intake at a few hundred webhooks a second) none ever does. The WAL then grew without bound
 * (~53,000 pages, 200 MB, in a 30 s intake bench, every checkpoint reporting all of it copied). So
 * once it holds more than WAL_RESTART_PAGES, a checkpoint right after the first takes the gate: with no
 * writer of this process appending, it copies the little committed since the one before it began, and
 * the next write restarts the WAL (overwriting the file from its start, so it stops growing).
 */
function startBackgroundCheckpoints(
  sequelize: Sequelize, file: string, gate: SqliteWriteGate, logger: Logger,
  options: { everyMs?: number; restartPages?: number } = {},
): () => void {
  const restartPages = options.restartPages ?? WAL_RESTART_PAGES;
  const own = file === ':memory:' || file === '' ? null : new sqlite3.Database(file);
  own?.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
  let running = false;
  const checkpoint = (): Promise<Array<{ busy: number; log: number; checkpointed: number }>> =>
    new Promise((resolve, reject) => {
      if (!own) return resolve([]);
      own.all('PRAGMA wal_checkpoint(PASSIVE)', (err, rows) => (err ? reject(err) : resolve(rows as Array<{ busy: number; log: number; checkpointed: number }>)));
    });
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const run = async () => {
      if (!own) {
        await sequelize.query('PRAGMA wal_checkpoint(PASSIVE)');
        return;
      }
      const [result] = await checkpoint();
      if (result && result.log > restartPages) {
        // Once more outside the gate first: it copies only what was committed during the first pass, so
        // the gated one has only a few milliseconds' frames to copy and fsync while webhooks wait.
        await checkpoint();
        await gate.run(checkpoint);
      }
    };
    run()
      .catch((err: unknown) => logger.warn('SQLite checkpoint failed', { err }))
      .finally(() => {
        running = false;
      });
  }, options.everyMs ?? 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    own?.close();
  };
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
 * How long one statement waits in SQLite's busy handler (on a libuv pool thread) before Sequelize's
 * retry takes over on a timer. Short on purpose: see sqlite-write-gate.ts for what a long one did.
 */
const SQLITE_BUSY_TIMEOUT_MS = 25;

const WRITE_SQL = /^\s*(?:\/\*[^]*?\*\/\s*)*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|BEGIN|PRAGMA\s+wal_checkpoint)/i;

const ROW_WRITE_SQL = /^\s*(?:\/\*[^]*?\*\/\s*)*(INSERT|UPDATE|DELETE|REPLACE)\b/i;

/**
 * Every SQLite transaction, and every write outside one, goes through the process's write gate
 * (sqlite-write-gate.ts). Reads outside transactions do not: WAL lets them run beside the writer.
 *
 * On a file, a row write outside a transaction (a job claim, heartbeat or outcome, a scheduler enqueue,
 * a budget record) runs in a managed transaction, so on a connection of its own rather than on
 * Sequelize's default connection. That one serves every Sequelize read too, and SQLite runs one
 * statement at a time per connection: a write there, holding the gate, waited for whatever read was
 * under way (a 1.2 s read held a one-row INSERT, and so the gate, for 1.2 s), and the webhooks behind
 * the gate with it (a budget INSERT held it 20-220 ms at a time in the intake bench's trace, under load).
 * Two more statements (BEGIN, COMMIT) on a reused connection buy a hold of the write's own length.
 * DDL and PRAGMAs stay on the default connection (migrations set connection state there); so a row write
 * to a TEMP table (one connection's own) would miss it: Bosun has none.
 */
function gateWrites(sequelize: Sequelize, gate: SqliteWriteGate, onFile: boolean): void {
  const transaction = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  const query = sequelize.query.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  (sequelize as unknown as { transaction: (...args: unknown[]) => Promise<unknown> }).transaction = (...args: unknown[]) => {
    const callback = args.find((a) => typeof a === 'function');
    if (!callback) {
      throw new Error('Bosun uses managed transactions only (sequelize.transaction(async (t) => …)) on SQLite: the write gate needs to know when one ends');
    }
    return gate.run(() => transaction(...args));
  };
  (sequelize as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (sql: unknown, options?: unknown) => {
    const inTransaction = typeof options === 'object' && options !== null && (options as { transaction?: unknown }).transaction;
    const text = typeof sql === 'string' ? sql : typeof sql === 'object' && sql !== null ? String((sql as { query?: unknown }).query ?? '') : '';
    if (inTransaction || !WRITE_SQL.test(text)) return query(sql, options);
    // A row write on a file: in a transaction of its own, on a connection of its own (see above).
    if (onFile && !gate.isHeld() && ROW_WRITE_SQL.test(text)) {
      return gate.run(() => transaction(async (t: unknown) => query(sql, { ...(typeof options === 'object' && options !== null ? options : {}), transaction: t })));
    }
    return gate.run(() => query(sql, options));
  };
}

/**
 * Sequelize opens a new SQLite connection for every transaction and closes it after, and a
 * PRAGMA run on the default connection does not reach those. Two fixes in one place:
 * - every connection gets the same short busy timeout (another process's commit is ridden out,
 *   then Sequelize retries on a timer), and synchronous = NORMAL, so a commit does
 *   not fsync (WAL stays consistent; only a power loss can drop the last commits);
 * - finished transaction connections are kept (a few) and reused, instead of paying ~1.5 ms to open
 *   a file, read the WAL index and run pragmas on every transaction.
 */
function configureEveryConnection(sequelize: Sequelize): void {
  const manager = (sequelize as unknown as { connectionManager: SqliteConnectionManager }).connectionManager;
  const open = manager.getConnection.bind(manager);
  const release = manager.releaseConnection.bind(manager);
  const idle: SqliteConnection[] = [];
  // getConnection is asked for every query, and answers the default connection from its cache: each
  // connection is configured once, not once per query (that was two PRAGMA statements per query).
  const configured = new WeakSet<SqliteConnection>();
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
    if (configured.has(connection)) return connection;
    configured.add(connection);
    connection.configure?.('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
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
