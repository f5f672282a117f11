import { QueryTypes } from 'sequelize';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../server/log';
import { createDatabase, type Database } from '../../../server/storage';
import { DatabaseBusyError } from '../../../server/storage/database-busy';
import { runWrite, withRawWriteTransaction } from '../../../server/storage/raw-transaction-query';
import { createSqliteRawWriter } from '../../../server/storage/sqlite-raw-writer';
import { createSqliteWriteGate } from '../../../server/storage/sqlite-write-gate';
import { createTestDatabase } from '../../helpers/test-databases';

describe('SQLite raw writer (the webhook intake\'s transactions)', () => {
  let db: Database;
  let file: string;
  beforeAll(async () => {
    const test = await createTestDatabase('sqlite');
    file = test.url.slice('sqlite:'.length);
    db = await createDatabase({ url: test.url, logger: createLogger({ level: 'silent' }) });
    await db.sequelize.query('CREATE TABLE raw_rows (id INTEGER PRIMARY KEY, note TEXT NOT NULL, at TEXT)');
  });
  afterAll(async () => {
    await db.close();
  });

  const notes = async () => (await db.sequelize.query<{ note: string }>('SELECT note FROM raw_rows ORDER BY id', { type: QueryTypes.SELECT })).map((r) => r.note);

  it('is used for a SQLite file, and commits what the transaction wrote, dates as the models write them', async () => {
    expect(db.sqliteWriter).toBeDefined();
    const at = new Date('2026-12-02T08:00:00.250Z');
    const returned = await withRawWriteTransaction(db, (query) => query<{ id: number }>('INSERT INTO raw_rows (id, note, at) VALUES (?, ?, ?) RETURNING id', [1, 'one', at]));
    expect(returned).toEqual([{ id: 1 }]);
    const [row] = await db.sequelize.query<{ at: string }>('SELECT at FROM raw_rows WHERE id = 1', { type: QueryTypes.SELECT });
    expect(row!.at).toBe('2026-12-02 08:00:00.250 +00:00');
  });

  it('rolls back everything when the transaction throws', async () => {
    await expect(
      withRawWriteTransaction(db, async (query) => {
        await query('INSERT INTO raw_rows (id, note) VALUES (?, ?)', [2, 'two']);
        await query('INSERT INTO raw_rows (id, note) VALUES (?, ?)', [1, 'duplicate key']);
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    expect(await notes()).toEqual(['one']);
  });

  it('waits for the write gate it is given (the one Sequelize\'s transactions take) before it begins', async () => {
    const gate = createSqliteWriteGate();
    const writer = createSqliteRawWriter(file, gate, 25);
    let release!: () => void;
    const holder = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    const order: string[] = [];
    const raw = writer.transaction(async (query) => {
      order.push('raw begins');
      await query('INSERT INTO raw_rows (id, note) VALUES (?, ?)', [3, 'gated']);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // SQLite's lock is free all along: only the gate holds the raw transaction back.
    expect(order).toEqual([]);
    expect(gate.waiting()).toBe(1);
    release();
    await Promise.all([holder, raw]);
    expect(order).toEqual(['raw begins']);
    await writer.close();
    expect(await notes()).toEqual(['one', 'gated']);
  });

  it('runs one statement on its own through the gate (runWrite), returning its rows', async () => {
    const gate = createSqliteWriteGate();
    const writer = createSqliteRawWriter(file, gate, 25);
    let release!: () => void;
    const holder = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    let done = false;
    const statement = writer.run('UPDATE raw_rows SET note = ? WHERE id = ? RETURNING id, note', ['gated once', 3]).then((rows) => ((done = true), rows));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    release();
    await holder;
    expect(await statement).toEqual([{ id: 3, note: 'gated once' }]);
    await writer.close();
    expect(await runWrite(db, 'UPDATE raw_rows SET note = ? WHERE id = ? RETURNING note', ['gated', 3])).toEqual([{ note: 'gated' }]);
  });

  it('prepares a statement once per SQL text and runs BEGIN and COMMIT without one (one piece of pool work each)', async () => {
    const writer = createSqliteRawWriter(file, createSqliteWriteGate(), 25);
    const prepare = vi.spyOn(sqlite3.Database.prototype, 'prepare');
    const all = vi.spyOn(sqlite3.Database.prototype, 'all');
    try {
      for (const id of [10, 11, 12]) {
        await writer.transaction((query) => query('INSERT INTO raw_rows (id, note) VALUES (?, ?)', [id, `cached ${id}`]));
      }
      expect(await writer.run('UPDATE raw_rows SET note = ? WHERE id = ? RETURNING note', ['cached again', 12])).toEqual([{ note: 'cached again' }]);
      const prepared = prepare.mock.calls.map(([sql]) => sql);
      expect(prepared).toEqual(['INSERT INTO raw_rows (id, note) VALUES (?, ?)', 'UPDATE raw_rows SET note = ? WHERE id = ? RETURNING note']);
      expect(all).not.toHaveBeenCalled();
    } finally {
      prepare.mockRestore();
      all.mockRestore();
      await writer.close();
    }
    await db.sequelize.query('DELETE FROM raw_rows WHERE id >= 10');
  });

  it('keeps a cached statement working after a failed run, a schema change and a statement that would not prepare', async () => {
    const writer = createSqliteRawWriter(file, createSqliteWriteGate(), 25);
    const insert = 'INSERT INTO raw_rows (id, note) VALUES (?, ?) RETURNING id';
    try {
      expect(await writer.run(insert, [20, 'first'])).toEqual([{ id: 20 }]);
      await expect(writer.run(insert, [20, 'same key'])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
      await expect(writer.run('INSERT INTO no_such_table (id) VALUES (?)', [1])).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
      await db.sequelize.query('CREATE TABLE raw_later (id INTEGER PRIMARY KEY)');
      // Not kept after failing to prepare: once the table exists, the same SQL prepares and runs.
      expect(await writer.run('INSERT INTO raw_later (id) VALUES (?) RETURNING id', [1])).toEqual([{ id: 1 }]);
      await db.sequelize.query('ALTER TABLE raw_rows ADD COLUMN extra TEXT');
      expect(await writer.run(insert, [21, 'after the schema changed'])).toEqual([{ id: 21 }]);
    } finally {
      // Closing finalizes the cached statements (SQLite would refuse to close with any left).
      await writer.close();
    }
    const [row] = await db.sequelize.query<{ note: string }>('SELECT note FROM raw_rows WHERE id = 21', { type: QueryTypes.SELECT });
    expect(row!.note).toBe('after the schema changed');
    await db.sequelize.query('DELETE FROM raw_rows WHERE id >= 20');
  });

  it('answers DatabaseBusyError when another process keeps the write lock past its retries', async () => {
    const other = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(opened)));
    });
    const exec = (sql: string) => new Promise<void>((resolve, reject) => other.exec(sql, (err) => (err ? reject(err) : resolve())));
    await exec('BEGIN IMMEDIATE');
    try {
      await expect(withRawWriteTransaction(db, (query) => query('INSERT INTO raw_rows (id, note) VALUES (?, ?)', [5, 'blocked']))).rejects.toBeInstanceOf(DatabaseBusyError);
    } finally {
      await exec('ROLLBACK');
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
    // The lock gone, the same writer works again.
    await withRawWriteTransaction(db, (query) => query('INSERT INTO raw_rows (id, note) VALUES (?, ?)', [5, 'after']));
    expect(await notes()).toEqual(['one', 'gated', 'after']);
  }, 20_000);
});
