import { QueryTypes } from 'sequelize';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
