import sqlite3 from 'sqlite3';
import { DatabaseBusyError } from './database-busy';
import type { SqliteWriteGate } from './sqlite-write-gate';

/** One statement of a raw write transaction: `?` placeholders bound by the driver; the rows it returns. */
export type RawStatement = (sql: string, values: unknown[]) => Promise<unknown[]>;

export interface SqliteRawWriter {
  /** Runs `fn` in one BEGIN IMMEDIATE … COMMIT (ROLLBACK if it throws), holding the process's write gate. */
  transaction<T>(fn: (query: RawStatement) => Promise<T>): Promise<T>;
  /** One statement on its own (SQLite's implicit transaction), holding the write gate. */
  run(sql: string, values: unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
}

/** Another process holding SQLite's write lock: retried on a timer like Sequelize's retry (about 5 s in all). */
const BUSY_RETRIES = 25;
const isBusy = (err: unknown): boolean => ['SQLITE_BUSY', 'SQLITE_LOCKED'].includes((err as { code?: unknown } | null)?.code as string);

const run = (connection: sqlite3.Database, sql: string, values: unknown[]): Promise<unknown[]> =>
  new Promise((resolve, reject) => {
    connection.all(sql, values, (err, rows) => (err ? reject(err) : resolve(rows)));
  });

/** Opens the file and configures the connection like every other one, each pragma done before the next. */
async function openConnection(file: string, busyTimeoutMs: number): Promise<sqlite3.Database> {
  const connection = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(opened)));
  });
  connection.configure('busyTimeout', busyTimeoutMs);
  // foreign_keys is a no-op inside a transaction, so these run before the first BEGIN.
  for (const pragma of ['PRAGMA synchronous = NORMAL', 'PRAGMA wal_autocheckpoint = 0', 'PRAGMA foreign_keys = ON']) await run(connection, pragma, []);
  return connection;
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
  let connection: Promise<sqlite3.Database> | null = null;
  const open = (): Promise<sqlite3.Database> => {
    connection ??= openConnection(file, busyTimeoutMs).catch((err: unknown) => {
      connection = null;
      throw err;
    });
    return connection;
  };
  /** A statement that takes the write lock, retried while another process holds it. */
  const withBusyRetries = async (db: sqlite3.Database, sql: string, values: unknown[]): Promise<unknown[]> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run(db, sql, values);
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (attempt >= BUSY_RETRIES) throw new DatabaseBusyError({ cause: err });
        await new Promise((resolve) => setTimeout(resolve, 20 * 1.15 ** attempt));
      }
    }
  };
  return {
    transaction: (fn) =>
      gate.run(async () => {
        const db = await open();
        await withBusyRetries(db, 'BEGIN IMMEDIATE', []);
        try {
          const result = await fn((sql, values) => run(db, sql, values));
          await run(db, 'COMMIT', []);
          return result;
        } catch (err) {
          await run(db, 'ROLLBACK', []).catch(() => undefined);
          throw isBusy(err) ? new DatabaseBusyError({ cause: err }) : err;
        }
      }),
    run: (sql, values) => gate.run(async () => withBusyRetries(await open(), sql, values)),
    close: async () => {
      const pending = connection;
      connection = null;
      if (!pending) return;
      const db = await pending.catch(() => null);
      if (db) await new Promise<void>((resolve) => db.close(() => resolve()));
    },
  };
}
