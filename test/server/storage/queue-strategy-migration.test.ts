import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/log';
import { runMigrations } from '../../../server/storage/migrations';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';

describe.each(testDatabaseKinds())('migration 0036: the queue\'s mergeStrategy moves into the workspace policy (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
  });
  afterAll(async () => opened.close());

  it('fast_forward queues set the workspace layer\'s mergeQueue.strategy (created or kept); a set one, merge_commit and disagreeing queues are left; every queue drops the setting', async () => {
    const { MergeQueue, Policy } = opened.db.models;
    const at = new Date('2026-03-01T10:00:00Z');
    const queue = (clientKey: string, repository: string, mergeStrategy?: string) => ({
      clientKey, repository, branch: 'main', version: 3, updatedAt: at,
      state: JSON.stringify({ version: 3, settings: { batchSize: 4, paused: false, ...(mergeStrategy ? { mergeStrategy } : {}) }, entries: [] }),
    });
    await MergeQueue.bulkCreate([
      queue('ck-new', 'acme/web', 'fast_forward'), queue('ck-new', 'acme/api'),
      queue('ck-kept', 'acme/web', 'fast_forward'),
      queue('ck-set', 'acme/web', 'fast_forward'),
      queue('ck-default', 'acme/web', 'merge_commit'),
      queue('ck-mixed', 'acme/web', 'fast_forward'), queue('ck-mixed', 'acme/api', 'merge_commit'),
    ]);
    const policy = (clientKey: string, layer: unknown) => ({ clientKey, scope: 'workspace', layer: JSON.stringify(layer), version: 2, updatedBy: '{alice}', updatedAt: at });
    await Policy.bulkCreate([
      policy('ck-kept', { stale: { mode: 'on' }, mergeQueue: { branches: ['main'] } }),
      policy('ck-set', { mergeQueue: { strategy: 'merge_commit' } }),
    ]);
    // As on a database that ran every migration before this one: 0036 runs next start.
    await opened.db.sequelize.query("DELETE FROM bosun_migrations WHERE id = '0036-queue-strategy-to-policy'");
    await runMigrations(opened.db.sequelize, createLogger({ level: 'silent' }));

    const layers = Object.fromEntries((await Policy.findAll({ where: { scope: 'workspace' } }))
      .filter((p) => p.clientKey.startsWith('ck-'))
      .map((p) => [p.clientKey, { layer: JSON.parse(p.layer) as unknown, version: p.version, updatedBy: p.updatedBy }]));
    expect(layers).toEqual({
      'ck-new': { layer: { mergeQueue: { strategy: 'fast_forward' } }, version: 1, updatedBy: 'migration-0036' },
      'ck-kept': { layer: { stale: { mode: 'on' }, mergeQueue: { branches: ['main'], strategy: 'fast_forward' } }, version: 3, updatedBy: 'migration-0036' },
      'ck-set': { layer: { mergeQueue: { strategy: 'merge_commit' } }, version: 2, updatedBy: '{alice}' },
    });
    const states = (await MergeQueue.findAll()).filter((q) => q.clientKey.startsWith('ck-')).map((q) => JSON.parse(q.state) as { settings: Record<string, unknown> });
    expect(states).toHaveLength(7);
    for (const s of states) expect(s.settings).toEqual({ batchSize: 4, paused: false });
  });
});
