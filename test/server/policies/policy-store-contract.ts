import { expect, it } from 'vitest';
import { PolicyConflictError, type PolicyStore } from '../../../server/policies';

const ALICE = '{a11ce000-0000-4000-8000-000000000001}';
const REPO = '{0e900000-0000-4000-8000-0000000000aa}';

/** What every PolicyStore must do (memory and SQL alike). */
export function describePolicyStoreContract(create: () => PolicyStore): void {
  it('saves a layer at version 1, reads it back, and lists a tenant’s scopes only', async () => {
    const store = create();
    const key = `contract-${Math.random().toString(36).slice(2)}`;
    expect(await store.get(key, 'workspace')).toBeNull();
    const saved = await store.save(key, 'workspace', { stale: { mode: 'on', remindAfterDays: 3 } }, ALICE, 0);
    expect(saved).toMatchObject({ scope: 'workspace', version: 1, updatedBy: ALICE, layer: { stale: { mode: 'on', remindAfterDays: 3 } } });
    await store.save(key, REPO, { reviewers: { strategy: 'round-robin' } }, ALICE, 0);
    expect(await store.get(key, 'workspace')).toMatchObject({ version: 1, layer: { stale: { mode: 'on', remindAfterDays: 3 } } });
    expect((await store.list(key)).map((p) => p.scope).sort()).toEqual([REPO, 'workspace'].sort());
    expect(await store.list(`${key}-other`)).toEqual([]);
    expect(await store.get(`${key}-other`, 'workspace')).toBeNull();
  });

  it('refuses a save from a stale version, including a second first save', async () => {
    const store = create();
    const key = `contract-${Math.random().toString(36).slice(2)}`;
    await store.save(key, 'workspace', {}, ALICE, 0);
    await expect(store.save(key, 'workspace', { stale: { mode: 'off' } }, ALICE, 0)).rejects.toBeInstanceOf(PolicyConflictError);
    expect((await store.save(key, 'workspace', { stale: { mode: 'off' } }, ALICE, 1)).version).toBe(2);
    await expect(store.save(key, 'workspace', {}, ALICE, 1)).rejects.toMatchObject({ code: 'POLICY_CONFLICT', storedVersion: 2 });
    expect((await store.get(key, 'workspace'))!.layer).toEqual({ stale: { mode: 'off' } });
  });

  it('two saves from the same version: exactly one wins', async () => {
    const store = create();
    const key = `contract-${Math.random().toString(36).slice(2)}`;
    const results = await Promise.allSettled([
      store.save(key, 'workspace', { stale: { remindAfterDays: 1 } }, ALICE, 0),
      store.save(key, 'workspace', { stale: { remindAfterDays: 2 } }, ALICE, 0),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected && rejected.status === 'rejected' ? rejected.reason : null).toBeInstanceOf(PolicyConflictError);
  });
}
