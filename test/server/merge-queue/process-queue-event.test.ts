import { describe, expect, it } from 'vitest';
import { createMemoryMergeQueueStore, processQueueEvent, type MergeQueueStore, type QueueEffect } from '../../../server/merge-queue';
import { describeMergeQueueStoreContract } from './merge-queue-store-contract';

const key = { clientKey: 'tenant-1', repository: 'acme/api', branch: 'main' };
const now = () => new Date('2026-12-01T10:00:00.000Z');

/** A store whose loads all happen before any save: every worker reads the same version. */
function lockstep(store: MergeQueueStore, workers: number): MergeQueueStore {
  let waiting: Array<() => void> = [];
  return {
    ...store,
    async load(k) {
      const row = await store.load(k);
      if (waiting.length + 1 < workers) await new Promise<void>((r) => waiting.push(r));
      else { for (const r of waiting) r(); waiting = []; }
      workers = 1;
      return row;
    },
  };
}

describe('processQueueEvent over a store', () => {
  describeMergeQueueStoreContract(() => createMemoryMergeQueueStore());

  it('creates the queue with policy defaults on first use', async () => {
    const store = createMemoryMergeQueueStore();
    const t = await processQueueEvent(key, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' }, { store, now, defaults: { batchSize: 4, depth: 2 } });
    expect(t.state.version).toBe(1);
    expect((await store.load(key))?.settings).toMatchObject({ batchSize: 4, depth: 2 });
  });

  it('ten workers handling the same green status at once take one merge decision between them', async () => {
    const inner = createMemoryMergeQueueStore();
    await processQueueEvent(key, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 's1' }, { store: inner, now });
    await processQueueEvent(key, { type: 'batch-built', batchId: 'b1', commit: 'c1' }, { store: inner, now });
    const store = lockstep(inner, 10);
    const results = await Promise.all(Array.from({ length: 10 }, () => processQueueEvent(key, { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true }, { store, now })));
    const lands = results.flatMap((r) => r.effects).filter((e: QueueEffect) => e.type === 'land-batch');
    expect(lands).toHaveLength(1);
    expect((await inner.load(key))?.batches[0]?.state).toBe('landing');
  });

  it('a worker killed mid-batch: the next one resumes from the stored queue, same batch, same decision id', async () => {
    const store = createMemoryMergeQueueStore();
    for (const pr of [1, 2]) await processQueueEvent(key, { type: 'enqueue', prId: pr, by: 'ada', sourceCommit: `s${pr}` }, { store, now });
    // The first worker built b1 and stored the green result, then died before landing it.
    await processQueueEvent(key, { type: 'batch-built', batchId: 'b1', commit: 'c1' }, { store, now });
    const died = await processQueueEvent(key, { type: 'ci-result', batchId: 'b1', commit: 'c1', passed: true }, { store, now });
    expect(died.effects.filter((e) => e.type === 'land-batch')).toHaveLength(1);
    const resumed = await processQueueEvent(key, { type: 'resume' }, { store, now });
    expect(resumed.effects).toEqual([{ type: 'land-batch', batchId: 'b1', decisionId: 'b1:land', prIds: [1], commit: 'c1' }]);
    // Its merge answer, and a duplicate from the dead worker's retry, merge once.
    await processQueueEvent(key, { type: 'land-result', batchId: 'b1', decisionId: 'b1:land', outcome: 'merged' }, { store, now });
    await processQueueEvent(key, { type: 'land-result', batchId: 'b1', decisionId: 'b1:land', outcome: 'merged' }, { store, now });
    expect((await store.load(key))?.stats.merged).toBe(1);
  });
});
