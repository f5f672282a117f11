import { describe, expect, it } from 'vitest';
import { createQueueState, processQueueEvent, type QueueEffect } from '../../../server/merge-queue';
import { createSqlMergeQueueStore } from '../../../server/storage';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { useDatabaseWithSecondPool } from '../jobs/open-test-database';
import { describeMergeQueueStoreContract } from '../merge-queue/merge-queue-store-contract';

describe.each(testDatabaseKinds())('SQL merge queue store (%s)', (kind) => {
  const pools = useDatabaseWithSecondPool(kind);

  describeMergeQueueStoreContract(() => createSqlMergeQueueStore(pools.opened.db));

  it('two instances racing on one green status take one merge decision; the queue survives a restart', async () => {
    const key = { clientKey: 'tenant-race', repository: 'acme/api', branch: 'main' };
    const now = () => new Date('2026-12-01T10:00:00.000Z');
    const a = createSqlMergeQueueStore(pools.opened.db);
    const b = createSqlMergeQueueStore(pools.second);
    await processQueueEvent(key, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' }, { store: a, now });
    await processQueueEvent(key, { type: 'batch-built', batchId: 'b1', commit: 'c1' }, { store: b, now });
    const green = { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true } as const;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => processQueueEvent(key, green, { store: i % 2 ? a : b, now })));
    expect(results.flatMap((r) => r.effects).filter((e: QueueEffect) => e.type === 'land-batch')).toHaveLength(1);
    const reopened = createSqlMergeQueueStore(pools.second);
    const resumed = await processQueueEvent(key, { type: 'resume' }, { store: reopened, now });
    expect(resumed.effects).toEqual([{ type: 'land-batch', batchId: 'b1', decisionId: 'b1:land', prIds: [1], commit: 'c1' }]);
    expect(resumed.state.version).toBe(11);
  });

  it('stores the queue whole (JSON round trip of every field)', async () => {
    const store = createSqlMergeQueueStore(pools.opened.db);
    const state = { ...createQueueState({ clientKey: 'tenant-json', repository: 'acme/api', branch: 'release/2.0' }, { freezeWindows: [{ start: '2026-12-24T00:00:00.000Z', end: '2026-12-27T00:00:00.000Z', reason: 'holidays' }] }), version: 1 };
    expect(await store.save(state, 0)).toBe(true);
    expect(await store.load(state)).toEqual(state);
  });
});
