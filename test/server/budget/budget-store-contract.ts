import { expect, it } from 'vitest';
import type { BudgetStore } from '../../../server/budget';

/** What every BudgetStore must do; run against memory, SQLite and PostgreSQL. */
export function describeBudgetStoreContract(open: () => BudgetStore): void {
  it('adds usage into one row per (credential, lane, purpose, minute) and reads it back per credential or tenant', async () => {
    const store = open();
    const base = { clientKey: 'tenant-a', credential: 'installation', lane: 'sync' as const, purpose: 'mirror.sync', minute: 29_000_000 };
    await store.addUsage({ ...base, count: 2 });
    await store.addUsage({ ...base, count: 3 });
    await store.addUsage({ ...base, minute: base.minute + 1, count: 1 });
    await store.addUsage({ ...base, credential: 'user:{u1}', lane: 'people', purpose: 'pr-panel', count: 4 });
    await store.addUsage({ ...base, clientKey: 'tenant-b', count: 9 });
    const mine = (await store.loadUsage('tenant-a', base.minute, 'installation')).sort((a, b) => a.minute - b.minute);
    expect(mine).toEqual([{ ...base, count: 5 }, { ...base, minute: base.minute + 1, count: 1 }]);
    expect(await store.loadUsage('tenant-a', base.minute + 1, 'installation')).toEqual([{ ...base, minute: base.minute + 1, count: 1 }]);
    expect((await store.loadUsage('tenant-a', 0)).reduce((s, r) => s + r.count, 0)).toBe(10);
  });

  it('keeps the pause that ends last', async () => {
    const store = open();
    const at = new Date('2026-03-01T12:00:00.000Z');
    await store.ensurePause({ clientKey: 'tenant-p', credential: 'installation', until: new Date(at.getTime() + 60_000), reason: '429' });
    await store.ensurePause({ clientKey: 'tenant-p', credential: 'installation', until: new Date(at.getTime() + 10_000), reason: '429' });
    expect((await store.loadPauses('tenant-p', 'installation')).map((p) => p.until.toISOString())).toEqual([new Date(at.getTime() + 60_000).toISOString()]);
    await store.ensurePause({ clientKey: 'tenant-p', credential: 'installation', until: new Date(at.getTime() + 90_000), reason: '429' });
    expect((await store.loadPauses('tenant-p')).map((p) => p.until.toISOString())).toEqual([new Date(at.getTime() + 90_000).toISOString()]);
    await store.prune(0, new Date(at.getTime() + 100_000));
    expect(await store.loadPauses('tenant-p')).toEqual([]);
  });

  it('counts concurrent spends of one row without losing any', async () => {
    const store = open();
    const row = { clientKey: 'tenant-c', credential: 'installation', lane: 'automation' as const, purpose: 'agent', minute: 29_000_100, count: 1 };
    await Promise.all(Array.from({ length: 20 }, () => store.addUsage(row)));
    expect(await store.loadUsage('tenant-c', 0)).toEqual([{ ...row, count: 20 }]);
  });
}
