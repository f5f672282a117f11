import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from './create-database';
import { DatabaseBusyError, isRetryableDriverError } from './database-busy';

/** What a hot-path statement may bind: dates are written exactly as the models write them. */
export type RawValue = string | number | null | Date;

interface SqliteDriverConnection {
  all(sql: string, params: unknown[], callback: (err: Error | null, rows: unknown[]) => void): void;
}

interface PgDriverConnection {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * A Date as Sequelize writes a DATE with its default timezone (+00:00): `YYYY-MM-DD HH:mm:ss.SSS +00:00`.
 * SQLite compares these as text, so every writer must produce the same form.
 */
export function toSqlDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 23).replace('T', ' ')} +00:00`;
}

/**
 * Runs one statement (`?` placeholders, values bound by the driver) on the connection of a running
 * Sequelize transaction, without Sequelize's per-statement work: replacement escaping into the SQL
 * text, a stack captured and source-mapped for every statement, result post-processing. For the
 * webhook intake only, where that work was about a fifth of the CPU per delivery (CPU profile, see
 * docs/architecture.md). Errors come back as the driver's, not as Sequelize's typed errors.
 */
export async function queryInTransaction<Row = Record<string, unknown>>(
  db: Database,
  transaction: Transaction,
  sql: string,
  values: RawValue[],
): Promise<Row[]> {
  const connection = (transaction as unknown as { connection?: unknown }).connection;
  if (!connection) throw new Error('queryInTransaction needs a transaction that has started');
  if (db.dialect === 'sqlite') {
    const params = values.map((v) => (v instanceof Date ? toSqlDateTime(v) : v));
    return new Promise<Row[]>((resolve, reject) => {
      (connection as SqliteDriverConnection).all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as Row[])));
    });
  }
  return queryPg<Row>(connection as PgDriverConnection, sql, values);
}

async function queryPg<Row>(connection: PgDriverConnection, sql: string, values: RawValue[]): Promise<Row[]> {
  let n = 0;
  // Our statements carry no literal `?`, so each one is a placeholder.
  const text = sql.replace(/\?/g, () => `$${++n}`);
  const params = values.map((v) => (v instanceof Date ? v.toISOString() : v));
  const result = await connection.query({ text, values: params });
  return result.rows as Row[];
}

interface PgConnectionManager {
  getConnection(options?: object): Promise<PgDriverConnection & { _invalid?: boolean }>;
  releaseConnection(connection: PgDriverConnection): Promise<void>;
}

/**
 * A connection of Sequelize's PostgreSQL pool for `fn`, without Sequelize's query path (its transaction object,
 * CLS lookups, replacement escaping and date formatting through moment, per statement). A connection whose
 * ROLLBACK failed is marked invalid, so the pool drops it instead of handing it out again.
 */
async function withPgConnection<T>(db: Database, fn: (connection: PgDriverConnection & { _invalid?: boolean }) => Promise<T>): Promise<T> {
  const manager = (db.sequelize as unknown as { connectionManager: PgConnectionManager }).connectionManager;
  const connection = await manager.getConnection({});
  try {
    return await fn(connection);
  } finally {
    await manager.releaseConnection(connection);
  }
}

/** What a prepared PostgreSQL statement binds: a RawValue, a boolean, or an array of them (one column for `unnest`). */
export type PgValue = RawValue | boolean | ReadonlyArray<RawValue | boolean>;

const toPgParam = (v: PgValue): unknown =>
  v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.map((e: RawValue | boolean) => (e instanceof Date ? e.toISOString() : e)) : v;

/** A statement whose text never changes (`$n` placeholders), so the driver can prepare it once per connection under its name. */
export interface PgPreparedStatement {
  name: string;
  text: string;
}

/**
 * One prepared statement on its own on a connection of Sequelize's PostgreSQL pool: one round trip, and
 * its own transaction (a statement is atomic, data-modifying CTEs included). A fixed text is parsed and
 * planned once per connection; rows of a batch travel as arrays (`unnest($1::text[], …)`) rather than
 * as a VALUES list whose text changes with the batch's size. PostgreSQL's lock and serialization codes
 * become DatabaseBusyError (503 + Retry-After).
 */
export async function runPgPrepared<Row = Record<string, unknown>>(db: Database, statement: PgPreparedStatement, values: readonly PgValue[]): Promise<Row[]> {
  if (db.dialect !== 'postgres') throw new Error('runPgPrepared is for PostgreSQL only');
  try {
    return await withPgConnection(db, async (connection) => {
      const result = await connection.query({ name: statement.name, text: statement.text, values: values.map(toPgParam) });
      return result.rows as Row[];
    });
  } catch (err) {
    throw isRetryableDriverError(err) ? new DatabaseBusyError({ cause: err }) : err;
  }
}

/** `(?, ?, …), (?, ?, …)`: placeholders for `rows` rows of `width` values. */
export function toValuesPlaceholders(rows: number, width: number): string {
  const one = `(${new Array<string>(width).fill('?').join(', ')})`;
  return new Array<string>(rows).fill(one).join(', ');
}

/** One statement of a write transaction: `?` placeholders, values bound by the driver, the rows it returns. */
export type RawQuery = <Row = Record<string, unknown>>(sql: string, values: RawValue[]) => Promise<Row[]>;

/**
 * One write transaction for a hot path, its statements bound by the driver: on a SQLite file, the
 * database's raw writer (its own connection, through the write gate, no Sequelize at all); on PostgreSQL,
 * BEGIN … COMMIT on a connection of Sequelize's pool; otherwise (SQLite in memory) a Sequelize transaction
 * whose statements go straight to its connection (queryInTransaction).
 */
export async function withRawWriteTransaction<T>(db: Database, fn: (query: RawQuery) => Promise<T>): Promise<T> {
  const writer = db.sqliteWriter;
  if (writer) {
    return writer.transaction((statement) =>
      fn(<Row>(sql: string, values: RawValue[]) => statement(sql, values.map((v) => (v instanceof Date ? toSqlDateTime(v) : v))) as Promise<Row[]>),
    );
  }
  if (db.dialect === 'postgres') {
    return withPgConnection(db, async (connection) => {
      await connection.query({ text: 'BEGIN', values: [] });
      try {
        const result = await fn(<Row>(sql: string, values: RawValue[]) => queryPg<Row>(connection, sql, values));
        await connection.query({ text: 'COMMIT', values: [] });
        return result;
      } catch (err) {
        await connection.query({ text: 'ROLLBACK', values: [] }).catch(() => {
          connection._invalid = true;
        });
        // A deadlock or serialization failure between concurrent batches: 503 + Retry-After, not a 500.
        throw isRetryableDriverError(err) ? new DatabaseBusyError({ cause: err }) : err;
      }
    });
  }
  // SQLite in memory (tests): one connection, Sequelize's transaction.
  return db.sequelize.transaction((transaction) => fn(<Row>(sql: string, values: RawValue[]) => queryInTransaction<Row>(db, transaction, sql, values)));
}

/**
 * One write statement on its own (`?` placeholders, flat values), returning its rows (RETURNING). On a SQLite
 * file: the raw writer, bound by the driver, so Sequelize's per-statement work is skipped (it escapes every value
 * into the SQL text and, on SQLite, renders a source-mapped stack for every statement). Otherwise Sequelize, its
 * values escaped as replacements, as before.
 */
export async function runWrite<Row = Record<string, unknown>>(db: Database, sql: string, values: RawValue[]): Promise<Row[]> {
  const writer = db.sqliteWriter;
  if (writer) return (await writer.run(sql, values.map((v) => (v instanceof Date ? toSqlDateTime(v) : v)))) as Row[];
  if (db.dialect === 'postgres') return withPgConnection(db, (connection) => queryPg<Row>(connection, sql, values));
  return (await db.sequelize.query(sql, { replacements: values, type: QueryTypes.SELECT })) as Row[];
}

interface SqliteReadConnection extends SqliteDriverConnection {
  serialize(callback: () => void): void;
}

/**
 * One SELECT (`?` placeholders, flat values) bound by the driver, on the connection Sequelize itself reads
 * with: SQLite's default connection (taken from Sequelize's connection manager), a connection of the
 * PostgreSQL pool. No connection of its own (a second, read-only SQLite connection, 2bea8fa, was reverted in
 * eea55d8), and queued behind the default connection's pending statements as Sequelize queues its own
 * (`serialize`), so it holds no more of libuv's pool threads than a Sequelize read. What it skips is
 * Sequelize's per-statement work: a `PRAGMA table_info` before every model find on SQLite, option cloning and
 * SQL generation, and a stack captured and source-mapped for every statement. Columns come back as the
 * database names them (snake_case); a DATE is SQLite's text or PostgreSQL's Date. SQLITE_BUSY (WAL readers
 * rarely meet it) and PostgreSQL's lock codes become DatabaseBusyError.
 */
export async function runRead<Row = Record<string, unknown>>(db: Database, sql: string, values: RawValue[]): Promise<Row[]> {
  try {
    if (db.dialect === 'postgres') return await withPgConnection(db, (connection) => queryPg<Row>(connection, sql, values));
    const manager = (db.sequelize as unknown as { connectionManager: { getConnection(options: object): Promise<SqliteReadConnection> } }).connectionManager;
    const connection = await manager.getConnection({});
    const params = values.map((v) => (v instanceof Date ? toSqlDateTime(v) : v));
    return await new Promise<Row[]>((resolve, reject) => {
      connection.serialize(() => connection.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as Row[]))));
    });
  } catch (err) {
    throw isRetryableDriverError(err) ? new DatabaseBusyError({ cause: err }) : err;
  }
}
