import { beforeEach, expect, it } from 'vitest';
import { createQueueState, type MergeQueueStore } from '../../../server/merge-queue';

/** What every MergeQueueStore must do (memory and SQL run the same cases). */
export function describeMergeQueueStoreContract(makeStore: () => MergeQueueStore): void {
  let store: MergeQueueStore;
  const key = { clientKey: `tenant-${Math.random().toString(36).slice(2)}`, repository: 'acme/api', branch: 'main' };
  beforeEach(() => {
    store = makeStore();
  });

  it('saves only over the version it read (compare and set), and loads what was saved', async () => {
    const k = { ...key, branch: `main-${Math.random().toString(36).slice(2)}` };
    expect(await store.load(k)).toBeNull();
    const first = { ...createQueueState(k, { batchSize: 4 }), version: 1 };
    expect(await store.save(first, 0)).toBe(true);
    expect(await store.save({ ...first, version: 1 }, 0)).toBe(false);
    const second = { ...first, version: 2, nextSeq: 5 };
    expect(await store.save(second, 1)).toBe(true);
    expect(await store.save({ ...first, version: 2 }, 1)).toBe(false);
    expect(await store.load(k)).toEqual(second);
  });

  it('lists a repository\'s branches and purges by tenant only', async () => {
    const tenant = `tenant-${Math.random().toString(36).slice(2)}`;
    for (const branch of ['main', 'release/1']) await store.save({ ...createQueueState({ clientKey: tenant, repository: 'acme/web', branch }), version: 1 }, 0);
    await store.save({ ...createQueueState({ clientKey: `${tenant}-other`, repository: 'acme/web', branch: 'main' }), version: 1 }, 0);
    expect((await store.list(tenant, 'acme/web')).map((q) => q.branch).sort()).toEqual(['main', 'release/1']);
    await store.purge(tenant);
    expect(await store.list(tenant, 'acme/web')).toEqual([]);
    expect(await store.list(`${tenant}-other`, 'acme/web')).toHaveLength(1);
  });
}
