import sqlite3 from 'sqlite3';
import { DatabaseBusyError } from './database-busy';
import type { SqliteWriteGate } from './sqlite-write-gate';

/** One statement of a raw write transaction: `?` placeholders bound by the driver; the rows it returns. */
export type RawStatement = (sql: string, values: unknown[]) => Promise<unknown[]>;

export interface SqliteRawWriter {
  /** Runs `fn` in one BEGIN IMMEDIATE … COMMIT (ROLLBACK if it throws), holding the process's write gate (urgent). */
  transaction<T>(fn: (query: RawStatement) => Promise<T>): Promise<T>;
  /** One statement on its own (SQLite's implicit transaction), holding the write gate. */
  run(sql: string, values: unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
}

/** Another process holding SQLite's write lock: retried on a timer like Sequelize's retry (about 5 s in all). */
const BUSY_RETRIES = 25;
const isBusy = (err: unknown): boolean => ['SQLITE_BUSY', 'SQLITE_LOCKED'].includes((err as { code?: unknown } | null)?.code as string);

/** A statement without values or rows (BEGIN, COMMIT, a pragma): one piece of work on libuv's pool (`exec`). */
const exec = (connection: sqlite3.Database, sql: string): Promise<unknown[]> =>
  new Promise((resolve, reject) => {
    connection.exec(sql, (err) => (err ? reject(err) : resolve([])));
  });

const runPrepared = (statement: sqlite3.Statement, values: unknown[]): Promise<unknown[]> =>
  new Promise((resolve, reject) => {
    statement.all(values, (err: Error | null, rows: unknown[]) => (err ? reject(err) : resolve(rows)));
  });

/** Prepared statements kept per SQL text; the intake's batch INSERTs differ by their row count only. */
const STATEMENT_CACHE_SIZE = 64;

/**
 * The connection's prepared statements by SQL text, the least recently used finalized past the bound.
 * node-sqlite3's `Database#all` prepares, runs and finalizes a new statement each time, three pieces of work
 * on libuv's pool (three thread hand-offs); a cached statement is one. SQLite re-prepares a cached statement
 * itself after a schema change (prepare_v2), and a statement run to completion holds no lock.
 */
function createStatementCache(connection: sqlite3.Database) {
  const statements = new Map<string, Promise<sqlite3.Statement>>();
  const finalize = (pending: Promise<sqlite3.Statement>): Promise<void> =>
    pending.then((statement) => new Promise<void>((resolve) => statement.finalize(() => resolve())), () => undefined);
  return {
    get(sql: string): Promise<sqlite3.Statement> {
      const cached = statements.get(sql);
      if (cached) {
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const prepared = new Promise<sqlite3.Statement>((resolve, reject) => {
        const statement: sqlite3.Statement = connection.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(statement)));
      });
      // A statement that did not prepare (bad SQL, a missing table) is not kept: the next call tries again.
      prepared.catch(() => {
        if (statements.get(sql) === prepared) statements.delete(sql);
      });
      statements.set(sql, prepared);
      for (const [oldest, pending] of statements) {
        if (statements.size <= STATEMENT_CACHE_SIZE) break;
        statements.delete(oldest);
        void finalize(pending);
      }
      return prepared;
    },
    /** Finalizes every statement (SQLite refuses to close a connection with statements left). */
    async clear(): Promise<void> {
      const pending = [...statements.values()];
      statements.clear();
      await Promise.all(pending.map(finalize));
    },
  };
}

interface Connection {
  db: sqlite3.Database;
  run(sql: string, values: unknown[]): Promise<unknown[]>;
  statements: ReturnType<typeof createStatementCache>;
}

/** Opens the file and configures the connection like every other one, each pragma done before the next. */
async function openConnection(file: string, busyTimeoutMs: number): Promise<Connection> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(opened)));
  });
  db.configure('busyTimeout', busyTimeoutMs);
  // foreign_keys is a no-op inside a transaction, so these run before the first BEGIN.
  for (const pragma of ['PRAGMA synchronous = NORMAL', 'PRAGMA wal_autocheckpoint = 0', 'PRAGMA foreign_keys = ON']) await exec(db, pragma);
  const statements = createStatementCache(db);
  return { db, statements, run: async (sql, values) => runPrepared(await statements.get(sql), values) };
}

/**
 * The webhook intake's SQLite writer: its own connection, configured like every other one (busy timeout,
 * synchronous = NORMAL, no commit-time checkpoints, foreign keys), its transactions taken through the same
 * write gate as Sequelize's. Sequelize spent more CPU per transaction than SQLite did (its transaction
 * object, connection manager and retry wrapper, a stack captured for every statement): in the CPU profile of
 * `npm run bench -- webhook-intake-sqlite` Sequelize's own time fell from ~1.1 s to ~0.65 s per run with this
 * writer (same session, 3 runs each, under load; docs/architecture.md). Errors: SQLITE_BUSY past the retries becomes
 * DatabaseBusyError (503 + Retry-After), anything else is the driver's error.
 */
export function createSqliteRawWriter(file: string, gate: SqliteWriteGate, busyTimeoutMs: number): SqliteRawWriter {
  let connection: Promise<Connection> | null = null;
  const open = (): Promise<Connection> => {
    connection ??= openConnection(file, busyTimeoutMs).catch((err: unknown) => {
      connection = null;
      throw err;
    });
    return connection;
  };
  /** A statement that takes the write lock, retried while another process holds it. */
  const withBusyRetries = async (statement: () => Promise<unknown[]>): Promise<unknown[]> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await statement();
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (attempt >= BUSY_RETRIES) throw new DatabaseBusyError({ cause: err });
        await new Promise((resolve) => setTimeout(resolve, 20 * 1.15 ** attempt));
      }
    }
  };
  return {
    // The intake's (and the projection's) transactions: ahead of background writers at the gate.
    transaction: (fn) =>
      gate.run(async () => {
        const opened = await open();
        await withBusyRetries(() => exec(opened.db, 'BEGIN IMMEDIATE'));
        try {
          const result = await fn((sql, values) => opened.run(sql, values));
          await exec(opened.db, 'COMMIT');
          return result;
        } catch (err) {
          await exec(opened.db, 'ROLLBACK').catch(() => undefined);
          throw isBusy(err) ? new DatabaseBusyError({ cause: err }) : err;
        }
      }, { urgent: true }),
    run: (sql, values) =>
      gate.run(async () => {
        const opened = await open();
        return withBusyRetries(() => opened.run(sql, values));
      }),
    close: async () => {
      const pending = connection;
      connection = null;
      if (!pending) return;
      const opened = await pending.catch(() => null);
      if (!opened) return;
      await opened.statements.clear();
      await new Promise<void>((resolve) => opened.db.close(() => resolve()));
    },
  };
}
