import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/log';
import { runMigrations } from '../../../server/storage/migrations';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';

describe.each(testDatabaseKinds())('migration 0032: auto-merges handed to the merge queue are queued (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
  });
  afterAll(async () => opened.close());

  it('moves the rows recorded as merged + "Handed to the merge queue: …" to queued, keeping the enqueue’s message; others stay', async () => {
    const { AutoMerge } = opened.db.models;
    const at = new Date('2026-03-01T10:00:00Z');
    const row = (pullRequestId: number, state: string, reason: string | null) => ({
      clientKey: 'ck-0032', repositoryFullName: 'acme/web', repositoryUuid: '{r}', pullRequestId, mergeStrategy: null,
      requestedByUuid: null, requestedByAccountId: null, state, reason, createdAt: at, updatedAt: at,
    });
    await AutoMerge.bulkCreate([
      row(1, 'merged', 'Handed to the merge queue: Queued #1 in the main queue (position 2 of 2).'),
      row(2, 'merged', 'Merged #2 into main.'),
      row(3, 'merged', 'Merged outside Bosun'),
      row(4, 'pending', null),
    ]);
    // As on a database that ran every migration before this one: 0032 runs next start.
    await opened.db.sequelize.query("DELETE FROM bosun_migrations WHERE id = '0032-auto-merge-queued'");
    await runMigrations(opened.db.sequelize, createLogger({ level: 'silent' }));
    const rows = await opened.db.sequelize.query<{ pull_request_id: number; state: string; reason: string | null }>(
      "SELECT pull_request_id, state, reason FROM auto_merges WHERE client_key = 'ck-0032' ORDER BY pull_request_id",
      { type: QueryTypes.SELECT },
    );
    expect(rows.map((r) => [Number(r.pull_request_id), r.state, r.reason])).toEqual([
      [1, 'queued', 'Queued #1 in the main queue (position 2 of 2).'],
      [2, 'merged', 'Merged #2 into main.'],
      [3, 'merged', 'Merged outside Bosun'],
      [4, 'pending', null],
    ]);
  });
});
