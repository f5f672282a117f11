import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryAuditStore,
  createMemoryAutoMergeStore,
  createMemoryExecutionStore,
  type AuditEntryInput,
  type AuditStore,
  type AutoMergeStore,
  type ExecutionStore,
} from '../../../server/agent';
import type { SecretBox } from '../../../server/auth';
import { createAuditStore, createAutoMergeStore, createDatabase, createExecutionStore, createTenantStore, type Database } from '../../../server/storage';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../helpers/test-databases';
import { silentLogger } from './agent-fakes';

interface Stores {
  audit: AuditStore;
  executions: ExecutionStore;
  autoMerges: AutoMergeStore;
  purge?: (clientKey: string) => Promise<void>;
}

const t0 = Date.parse('2026-03-01T10:00:00Z');
const entry = (over: Partial<AuditEntryInput> & { minute: number }): AuditEntryInput => ({
  clientKey: 'ck-1',
  idempotencyKey: `key-${over.minute}`,
  actor: { userUuid: '{alice}', accountId: 'a-1', kind: 'user' },
  trigger: { kind: 'button', ref: null },
  source: 'button',
  planSummary: 'something',
  repositories: ['acme/web'],
  tools: ['pullRequest.merge'],
  steps: [{ tool: 'pullRequest.merge', input: { repo: 'web' }, outcome: 'succeeded', summary: 'Merged.', message: null, errorCode: null, links: [], durationMs: 3 }],
  outcome: 'succeeded',
  message: 'Merged.',
  startedAt: new Date(t0 + over.minute * 60_000),
  durationMs: 12,
  ...over,
});

function contract(name: string, open: () => Promise<Stores>, close: () => Promise<void> = async () => {}) {
  describe(name, () => {
    let stores: Stores;
    beforeAll(async () => {
      stores = await open();
      const { audit } = stores;
      await audit.record(entry({ minute: 1 }));
      await audit.record(entry({ minute: 2, repositories: ['acme/api', 'acme/my_repo'], tools: ['branch.delete'], outcome: 'failed' }));
      await audit.record(entry({ minute: 3, actor: { userUuid: '{bob}', accountId: null, kind: 'user' }, outcome: 'refused' }));
      await audit.record(entry({ minute: 4, clientKey: 'ck-other' }));
    }, 60_000);
    afterAll(close);

    it('lists audit entries newest first, paginated, per tenant', async () => {
      const page = await stores.audit.list('ck-1', { limit: 2 });
      expect(page.total).toBe(3);
      expect(page.entries.map((e) => e.idempotencyKey)).toEqual(['key-3', 'key-2']);
      const next = await stores.audit.list('ck-1', { limit: 2, offset: 2 });
      expect(next.entries.map((e) => e.idempotencyKey)).toEqual(['key-1']);
      expect(next.entries[0]).toMatchObject({ steps: [{ tool: 'pullRequest.merge', summary: 'Merged.' }], startedAt: new Date(t0 + 60_000) });
    });

    it('filters audit entries by repository, actor, tool and outcome', async () => {
      const keys = async (filter: Parameters<AuditStore['list']>[1]) => (await stores.audit.list('ck-1', filter)).entries.map((e) => e.idempotencyKey);
      expect(await keys({ repository: 'acme/api' })).toEqual(['key-2']);
      expect(await keys({ repository: 'acme/my_repo' })).toEqual(['key-2']);
      expect(await keys({ repository: 'acme/myxrepo' })).toEqual([]);
      expect(await keys({ repository: 'acme/we' })).toEqual([]);
      expect(await keys({ actorUuid: '{bob}' })).toEqual(['key-3']);
      expect(await keys({ tool: 'branch.delete' })).toEqual(['key-2']);
      expect(await keys({ outcome: 'succeeded' })).toEqual(['key-1']);
      const got = (await stores.audit.list('ck-1', { outcome: 'failed' })).entries[0];
      expect(got?.id).not.toBeNull();
      expect(await stores.audit.get('ck-1', got?.id as number)).toMatchObject({ idempotencyKey: 'key-2' });
      expect(await stores.audit.get('ck-other', got?.id as number)).toBeNull();
    });

    it('lets exactly one of several concurrent claims win', async () => {
      let n = 0;
      const claim = () =>
        stores.executions.claim(
          { clientKey: 'ck-1', idempotencyKey: 'race', source: 'command', planSummary: 'p', owner: `owner-${++n}`, leaseExpiresAt: new Date(t0 + 60_000) },
          new Date(t0),
        );
      const results = await Promise.all([claim(), claim(), claim()]);
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
      const result = { ...entry({ minute: 9 }), id: 42 };
      await stores.executions.finish('ck-1', 'race', result, new Date(t0 + 1000));
      const row = await stores.executions.get('ck-1', 'race');
      expect(row).toMatchObject({ state: 'finished', outcome: 'succeeded', result: { id: 42, message: 'Merged.' } });
      expect(row?.result?.startedAt).toEqual(result.startedAt);
      expect((await stores.executions.list('ck-1', { outcome: 'succeeded' })).total).toBe(1);
      expect(await stores.executions.get('ck-other', 'race')).toBeNull();
    });

    it('lets only the owner renew and finish a run, and one caller take it over once its lease ran out', async () => {
      const key = 'leased';
      const lease = (ms: number) => new Date(t0 + ms);
      await stores.executions.claim({ clientKey: 'ck-1', idempotencyKey: key, source: 'command', planSummary: 'p', owner: 'first', leaseExpiresAt: lease(1_000) }, new Date(t0));
      expect(await stores.executions.get('ck-1', key)).toMatchObject({ state: 'running', owner: 'first', leaseExpiresAt: lease(1_000) });
      // Still leased: nobody takes it over, however old the run is.
      expect(await stores.executions.takeOver('ck-1', key, { owner: 'second', leaseExpiresAt: lease(2_000), now: lease(999) })).toBe(false);
      expect(await stores.executions.renew('ck-1', key, 'first', lease(5_000))).toBe(true);
      expect(await stores.executions.takeOver('ck-1', key, { owner: 'second', leaseExpiresAt: lease(6_000), now: lease(4_999) })).toBe(false);
      expect(await stores.executions.renew('ck-1', key, 'intruder', lease(9_000))).toBe(false);
      expect(await stores.executions.renew('ck-other', key, 'first', lease(9_000))).toBe(false);
      // Lease over: of concurrent takers exactly one wins, and the old owner is fenced off.
      const takers = await Promise.all(
        ['second', 'third', 'fourth'].map((owner) => stores.executions.takeOver('ck-1', key, { owner, leaseExpiresAt: lease(10_000), now: lease(5_000) })),
      );
      expect(takers.filter(Boolean)).toHaveLength(1);
      const winner = ['second', 'third', 'fourth'][takers.indexOf(true)] as string;
      expect(await stores.executions.renew('ck-1', key, 'first', lease(11_000))).toBe(false);
      const result = { ...entry({ minute: 9 }), id: 7 };
      expect(await stores.executions.finish('ck-1', key, result, lease(6_000), 'first')).toBe(false);
      expect((await stores.executions.get('ck-1', key))?.state).toBe('running');
      expect(await stores.executions.finish('ck-1', key, result, lease(6_000), winner)).toBe(true);
      expect(await stores.executions.get('ck-1', key)).toMatchObject({ state: 'finished', result: { id: 7 }, owner: null, leaseExpiresAt: null });
      // Finished: nothing to take over or renew.
      expect(await stores.executions.takeOver('ck-1', key, { owner: 'late', leaseExpiresAt: lease(99_000), now: lease(90_000) })).toBe(false);
      expect(await stores.executions.renew('ck-1', key, winner, lease(99_000))).toBe(false);
    });

    it('keeps one pending auto-merge per pull request', async () => {
      const input = {
        clientKey: 'ck-1', repositoryFullName: 'acme/web', repositoryUuid: '{repo}', pullRequestId: 12,
        mergeStrategy: 'squash', requestedByUuid: '{alice}', requestedByAccountId: null,
      };
      const [a, b] = await Promise.all([stores.autoMerges.ensurePending(input, new Date(t0)), stores.autoMerges.ensurePending(input, new Date(t0))]);
      expect([a.created, b.created].sort()).toEqual([false, true]);
      expect(a.autoMerge.id).toBe(b.autoMerge.id);
      expect(await stores.autoMerges.listPending('ck-1', { repositoryUuid: '{repo}' })).toHaveLength(1);
      const ended = await stores.autoMerges.finish('ck-1', { repositoryFullName: 'acme/web', pullRequestId: 12 }, { state: 'merged' }, new Date(t0 + 5));
      expect(ended).toMatchObject({ state: 'merged' });
      expect(await stores.autoMerges.finish('ck-1', { repositoryFullName: 'acme/web', pullRequestId: 12 }, { state: 'cancelled' }, new Date(t0 + 6))).toBeNull();
      // A new request after the first ended is a new row.
      expect((await stores.autoMerges.ensurePending(input, new Date(t0 + 7))).created).toBe(true);
    });

    it.runIf(name !== 'memory')('is purged with the tenant', async () => {
      await stores.purge?.('ck-1');
      expect((await stores.audit.list('ck-1')).total).toBe(0);
      expect(await stores.executions.get('ck-1', 'race')).toBeNull();
      expect(await stores.autoMerges.listPending('ck-1')).toEqual([]);
      expect((await stores.audit.list('ck-other')).total).toBe(1);
    });
  });
}

contract('memory', async () => ({ audit: createMemoryAuditStore(), executions: createMemoryExecutionStore(), autoMerges: createMemoryAutoMergeStore() }));

for (const kind of testDatabaseKinds()) {
  let testDb: TestDatabase;
  let db: Database;
  contract(
    kind,
    async () => {
      testDb = await createTestDatabase(kind);
      db = await createDatabase({ url: testDb.url, logger: silentLogger, schema: testDb.schema });
      return {
        audit: createAuditStore(db),
        executions: createExecutionStore(db),
        autoMerges: createAutoMergeStore(db),
        // Uninstall's purge; it never touches the secret box.
        purge: (clientKey) => createTenantStore(db, {} as SecretBox).purge(clientKey),
      };
    },
    async () => {
      await db?.close();
      await testDb?.cleanup();
    },
  );
}
