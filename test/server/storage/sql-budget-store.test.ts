import { describe, expect, it } from 'vitest';
import { createRateBudget } from '../../../server/budget';
import { createSqlBudgetStore } from '../../../server/storage';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { describeBudgetStoreContract } from '../budget/budget-store-contract';
import { useDatabaseWithSecondPool } from '../jobs/open-test-database';

describe.each(testDatabaseKinds())('SQL budget store (%s)', (kind) => {
  const pools = useDatabaseWithSecondPool(kind);

  describeBudgetStoreContract(() => createSqlBudgetStore(pools.opened.db));

  it('is one budget across instances: what one spends, the other sees and stops at', async () => {
    const now = () => new Date('2026-03-01T12:00:00.000Z');
    const policy = { limitPerHour: 10, reserve: { people: 0, automation: 2, sync: 4 }, defaultPauseMs: 60_000 };
    const a = createRateBudget({ store: createSqlBudgetStore(pools.opened.db), now, policy });
    const b = createRateBudget({ store: createSqlBudgetStore(pools.second), now, policy });
    const spend = { clientKey: 'tenant-shared', credential: 'installation', purpose: 'mirror.sync' } as const;
    for (let i = 0; i < 3; i++) expect((await a.trySpend({ ...spend, lane: 'sync' })).ok).toBe(true);
    for (let i = 0; i < 3; i++) expect((await b.trySpend({ ...spend, lane: 'sync' })).ok).toBe(true);
    // 6 used, 4 left = the sync reserve: sync stops on both instances, automation goes on.
    expect((await a.trySpend({ ...spend, lane: 'sync' })).ok).toBe(false);
    expect((await b.trySpend({ ...spend, lane: 'automation', purpose: 'agent' })).ok).toBe(true);
    await b.reportRateLimited({ clientKey: 'tenant-shared', credential: 'installation', retryAfterSeconds: 120 });
    expect(await a.trySpend({ ...spend, lane: 'automation', purpose: 'agent' })).toEqual({
      ok: false, reason: 'paused', retryAt: new Date('2026-03-01T12:02:00.000Z'),
    });
    expect((await a.trySpend({ ...spend, lane: 'people', purpose: 'pr-panel' })).ok).toBe(true);
    const seen = await b.load('tenant-shared');
    expect(seen.credentials).toEqual([{
      credential: 'installation', limit: 10, used: 8, remaining: 2,
      byLane: { people: 1, automation: 1, sync: 6 },
      byPurpose: [{ purpose: 'mirror.sync', lane: 'sync', count: 6 }, { purpose: 'agent', lane: 'automation', count: 1 }, { purpose: 'pr-panel', lane: 'people', count: 1 }],
      pausedUntil: '2026-03-01T12:02:00.000Z',
    }]);
  });
});
