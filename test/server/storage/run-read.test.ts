import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { DatabaseBusyError } from '../../../server/storage/database-busy';
import { runRead } from '../../../server/storage/raw-transaction-query';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';

describe.each(testDatabaseKinds())('runRead (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    await opened.db.sequelize.query('CREATE TABLE read_notes (id INTEGER PRIMARY KEY, note_text VARCHAR(40) NOT NULL, at TIMESTAMP WITH TIME ZONE)');
    await opened.db.sequelize.query('INSERT INTO read_notes (id, note_text, at) VALUES (1, :a, :t1), (2, :b, :t2)', {
      replacements: { a: "it's one", b: 'two', t1: new Date('2026-12-02T08:00:00.000Z'), t2: new Date('2026-12-02T09:00:00.000Z') },
    });
  });
  afterAll(async () => {
    await opened.close();
  });

  it('answers the rows with the columns as the database names them, values bound by the driver (a Date as Sequelize writes one)', async () => {
    const rows = await runRead<{ id: number; note_text: string }>(opened.db, 'SELECT id, note_text FROM read_notes WHERE note_text IN (?, ?) AND at < ? ORDER BY id', ["it's one", 'two', new Date('2026-12-02T08:30:00.000Z')]);
    expect(rows).toEqual([{ id: 1, note_text: "it's one" }]);
  });

  it('gives a driver error that trying again will not fix back as it is', async () => {
    const err: unknown = await runRead(opened.db, 'SELECT missing_column FROM read_notes', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(DatabaseBusyError);
  });

  if (kind === 'sqlite') it('reads on the connection Sequelize reads with, opening none of its own', async () => {
    // A TEMP table lives on one connection only: Sequelize's default one here.
    // (Created with its row in one DDL statement: a row write outside a transaction runs on a connection of its own.)
    await opened.db.sequelize.query('CREATE TEMP TABLE read_only_here AS SELECT 7 AS n');
    const manager = (opened.db.sequelize as unknown as { connectionManager: { connections: Record<string, unknown> } }).connectionManager;
    const before = Object.keys(manager.connections).sort();
    expect(await runRead(opened.db, 'SELECT n FROM read_only_here', [])).toEqual([{ n: 7 }]);
    expect(Object.keys(manager.connections).sort()).toEqual(before);
  });

  if (kind === 'postgres') it('makes a lock it may not wait for a DatabaseBusyError (503, retryable)', async () => {
    await opened.db.sequelize.transaction(async (transaction) => {
      await opened.db.sequelize.query('SELECT id FROM read_notes WHERE id = 1 FOR UPDATE', { transaction, type: QueryTypes.SELECT });
      const err: unknown = await runRead(opened.db, 'SELECT id FROM read_notes WHERE id = ? FOR UPDATE NOWAIT', [1]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseBusyError);
    });
  });
});
