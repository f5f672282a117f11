import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataTypes, QueryTypes } from 'sequelize';
import { runPgPrepared, runWrite, toSqlDateTime, toValuesPlaceholders, withRawWriteTransaction } from '../../../server/storage/raw-transaction-query';
import { DatabaseBusyError, isRetryableDriverError } from '../../../server/storage/database-busy';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';

describe('raw transaction query helpers', () => {
  it('formats a date exactly as Sequelize writes a DATE (SQLite compares them as text)', () => {
    const type = new DataTypes.DATE();
    for (const date of [new Date('2026-12-02T03:55:00.123Z'), new Date('2001-01-09T23:59:59.001Z'), new Date(0)]) {
      expect(toSqlDateTime(date)).toBe((type as unknown as { _stringify(d: Date, o: object): string })._stringify(date, { timezone: '+00:00' }));
    }
  });

  it('names one placeholder per value', () => {
    expect(toValuesPlaceholders(2, 3)).toBe('(?, ?, ?), (?, ?, ?)');
  });
});

describe.each(testDatabaseKinds())('raw write transactions (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    await opened.db.sequelize.query('CREATE TABLE raw_notes (id INTEGER PRIMARY KEY, note VARCHAR(40) NOT NULL, at TIMESTAMP WITH TIME ZONE)');
  });
  afterAll(async () => {
    await opened.close();
  });
  const notes = async () =>
    (await opened.db.sequelize.query<{ note: string }>('SELECT note FROM raw_notes ORDER BY id', { type: QueryTypes.SELECT })).map((r) => r.note);

  it('commits, rolls back on a throw, and gives every connection back (more transactions than the pool holds)', async () => {
    const at = new Date('2026-12-02T08:00:00.250Z');
    expect(await withRawWriteTransaction(opened.db, (q) => q<{ id: number }>('INSERT INTO raw_notes (id, note, at) VALUES (?, ?, ?) RETURNING id', [1, 'one', at]))).toEqual([{ id: 1 }]);
    await expect(
      withRawWriteTransaction(opened.db, async (q) => {
        await q('INSERT INTO raw_notes (id, note) VALUES (?, ?)', [2, 'two']);
        await q('INSERT INTO raw_notes (id, note) VALUES (?, ?)', [1, 'duplicate']);
      }),
    ).rejects.toThrow();
    for (let i = 0; i < 25; i++) {
      await withRawWriteTransaction(opened.db, (q) => q('INSERT INTO raw_notes (id, note) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', [100 + (i % 2), `n${i % 2}`])).catch(() => undefined);
      await runWrite(opened.db, 'UPDATE raw_notes SET note = ? WHERE id = ?', ['one', 1]);
    }
    expect(await notes()).toEqual(['one', 'n0', 'n1']);
    const model = await opened.db.sequelize.query<{ at: Date | string }>('SELECT at FROM raw_notes WHERE id = 1', { type: QueryTypes.SELECT });
    expect(new Date(model[0]!.at).getTime()).toBe(at.getTime());
  });

  it('runWrite returns the rows of RETURNING', async () => {
    expect(await runWrite(opened.db, 'UPDATE raw_notes SET note = ? WHERE id = ? RETURNING id, note', ['uno', 1])).toEqual([{ id: 1, note: 'uno' }]);
  });
});

describe.runIf(testDatabaseKinds().includes('postgres'))('prepared PostgreSQL statements with rows as arrays', () => {
  let opened: OpenedTestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase('postgres');
    await opened.db.sequelize.query('CREATE TABLE raw_texts (id INTEGER PRIMARY KEY, body TEXT, n INTEGER, at TIMESTAMP WITH TIME ZONE)');
  });
  afterAll(async () => {
    await opened.close();
  });
  const statement = {
    name: 'test_raw_texts_v1',
    text: `INSERT INTO raw_texts (id, body, n, at) SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::timestamptz[])
           ON CONFLICT (id) DO NOTHING RETURNING id`,
  };

  it('stores every text exactly (quotes, backslashes, braces, commas, the word NULL, unicode) and NULLs as NULL, on every pooled connection', async () => {
    const bodies = ['{"a": "b\\"c", "d": [1, 2]}', 'back\\slash \\\\ two', 'NULL', '', ' spaced , {braces} ', 'ünï\u2028cødé 🚀', null];
    const at = new Date('2026-12-02T08:00:00.250Z');
    // More calls than the pool has connections, in parallel: each connection prepares the statement once and reuses it.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        runPgPrepared<{ id: number }>(opened.db, statement, [bodies.map((_, i) => k * 100 + i), bodies, bodies.map((b, i) => (b === null ? null : i)), bodies.map(() => at)]),
      ),
    );
    expect(answers.map((rows) => rows.length)).toEqual(Array.from({ length: 12 }, () => bodies.length));
    const rows = await opened.db.sequelize.query<{ id: number; body: string | null; n: number | null; at: Date }>('SELECT id, body, n, at FROM raw_texts WHERE id < 100 ORDER BY id', { type: QueryTypes.SELECT });
    expect(rows.map((r) => r.body)).toEqual(bodies);
    expect(rows.map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, null]);
    expect(rows.every((r) => new Date(r.at).getTime() === at.getTime())).toBe(true);
    // A repeat conflicts and returns nothing: what ON CONFLICT DO NOTHING RETURNING names is what this call stored.
    expect(await runPgPrepared(opened.db, statement, [[0], ['again'], [1], [at]])).toEqual([]);
  });

  it("answers PostgreSQL's lock codes as busy (503), other errors as the driver's", async () => {
    await expect(runPgPrepared(opened.db, { name: 'test_bad_cast_v1', text: 'SELECT $1::int AS x' }, ['not a number'])).rejects.toMatchObject({ code: '22P02' });
    const busy = { name: 'test_busy_v1', text: `DO $$ BEGIN RAISE EXCEPTION 'busy' USING ERRCODE = '55P03'; END $$` };
    await expect(runPgPrepared(opened.db, busy, [])).rejects.toBeInstanceOf(DatabaseBusyError);
  });
});

describe('driver errors on the hot paths', () => {
  it('counts PostgreSQL\'s retryable codes and SQLite\'s busy as "try again", nothing else', () => {
    for (const code of ['40001', '40P01', '55P03', '57014', 'SQLITE_BUSY', 'SQLITE_LOCKED']) expect(isRetryableDriverError(Object.assign(new Error('x'), { code }))).toBe(true);
    for (const err of [Object.assign(new Error('x'), { code: '23505' }), Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT' }), new Error('plain'), null]) {
      expect(isRetryableDriverError(err)).toBe(false);
    }
  });
});
