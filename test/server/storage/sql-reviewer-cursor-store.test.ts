import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyRing, createSecretBox } from '../../../server/auth';
import { planPullRequestRulesInTurn, type PullRequestRuleFacts } from '../../../server/agent';
import { createSqlReviewerCursorStore, createTenantStore } from '../../../server/storage';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { RULES_REPOSITORY_UUID as REPO, toRuleFacts } from '../agent/planner/rule-facts-fixture';
import { useDatabaseWithSecondPool } from '../jobs/open-test-database';

const MEMBERS = ['{00000000-0000-4000-8000-000000000001}', '{00000000-0000-4000-8000-000000000002}', '{00000000-0000-4000-8000-000000000003}', '{00000000-0000-4000-8000-000000000004}'];
const CORE = { groups: { core: MEMBERS }, reviewers: { mode: 'on' as const, strategy: 'round-robin' as const, owners: [{ paths: ['src/'], reviewers: ['group:core'] }], includeDefaultReviewers: false } };

/** A new PR touching src/ whose source branch is gone (no statuses are planned: only the reviewer turn is in play). */
const facts = (id: number): PullRequestRuleFacts => {
  const base = toRuleFacts(CORE, { id, title: `PR ${id}`, authorUuid: '{author}', sourceBranch: `f/${id}` }, { changedPaths: ['src/app.ts'] });
  return { ...base, pullRequest: { ...base.pullRequest, commitHash: null } };
};

describe.each(testDatabaseKinds())('SQL reviewer cursor store (%s)', (kind) => {
  const pools = useDatabaseWithSecondPool(kind);

  it('compare-and-set: an advance from a stale version changes nothing, several groups move together or not at all', async () => {
    const store = createSqlReviewerCursorStore(pools.opened.db);
    expect(await store.advance('t-cas', REPO, 'k1', [{ group: 'a', position: 0, expectedVersion: 0 }])).toBe(true);
    expect(await store.advance('t-cas', REPO, 'k2', [{ group: 'a', position: 1, expectedVersion: 0 }])).toBe(false);
    expect(await store.load('t-cas', REPO, ['a', 'b'])).toEqual({ a: { position: 0, version: 1, lastClaim: 'k1' } });
    // b would be new, a is stale: neither moves.
    expect(await store.advance('t-cas', REPO, 'k3', [{ group: 'b', position: 2, expectedVersion: 0 }, { group: 'a', position: 1, expectedVersion: 0 }])).toBe(false);
    expect(Object.keys(await store.load('t-cas', REPO, ['a', 'b']))).toEqual(['a']);
    expect(await store.advance('t-cas', REPO, 'k4', [{ group: 'b', position: 2, expectedVersion: 0 }, { group: 'a', position: 1, expectedVersion: 1 }])).toBe(true);
    expect(await store.load('t-cas', REPO, ['a', 'b'])).toEqual({ a: { position: 1, version: 2, lastClaim: 'k4' }, b: { position: 2, version: 1, lastClaim: 'k4' } });
    // Scoped by tenant and repository.
    expect(await store.load('t-other', REPO, ['a'])).toEqual({});
    expect(await store.load('t-cas', '{another}', ['a'])).toEqual({});
  });

  it('PRs planned at once on two instances each get a different next person, and the rotation carries on', async () => {
    const a = createSqlReviewerCursorStore(pools.opened.db);
    const b = createSqlReviewerCursorStore(pools.second);
    const picks = await Promise.all(MEMBERS.map((_, i) => planPullRequestRulesInTurn(i % 2 ? a : b, 't-race', facts(i + 1), new Date())));
    const chosen = picks.map(([plan]) => (plan!.plan.steps[0]!.input as { reviewers: string[] }).reviewers[0]);
    expect([...chosen].sort()).toEqual([...MEMBERS].sort());
    const [next] = await planPullRequestRulesInTurn(a, 't-race', facts(99), new Date());
    expect((next!.plan.steps[0]!.input as { reviewers: string[] }).reviewers).toEqual([MEMBERS[0]]);
    expect((await a.load('t-race', REPO, ['core'])).core).toMatchObject({ position: 0, version: MEMBERS.length + 1 });
  });

  it('uninstall purges the tenant’s cursors and no one else’s', async () => {
    const store = createSqlReviewerCursorStore(pools.opened.db);
    const tenants = createTenantStore(pools.opened.db, createSecretBox(createKeyRing([{ id: 'k1', key: randomBytes(32) }])));
    await store.advance('t-gone', REPO, 'k', [{ group: 'core', position: 1, expectedVersion: 0 }]);
    await store.advance('t-kept', REPO, 'k', [{ group: 'core', position: 2, expectedVersion: 0 }]);
    await tenants.purge('t-gone');
    expect(await store.load('t-gone', REPO, ['core'])).toEqual({});
    expect((await store.load('t-kept', REPO, ['core'])).core).toMatchObject({ position: 2 });
  });
});
