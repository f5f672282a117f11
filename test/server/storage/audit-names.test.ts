import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAuditStore, type AuditEntryInput, type AuditFilter, type AuditStore } from '../../../server/agent';
import type { AuditRecordInput } from '../../../server/agent/stores/audit-store';
import { createAuditStore, createDatabase, type Database } from '../../../server/storage';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../helpers/test-databases';
import { silentLogger } from '../agent/agent-fakes';

const WEB = '{7eb00000-0000-4000-8000-00000000000a}';
const API = '{7eb00000-0000-4000-8000-00000000000b}';
const ADA = '{ada00000-0000-4000-8000-000000000001}';
const t0 = Date.parse('2026-03-01T10:00:00Z');

const entry = (minute: number, over: Partial<AuditRecordInput> = {}): AuditRecordInput => ({
  clientKey: 'ck-names',
  idempotencyKey: `names-${minute}`,
  actor: { userUuid: ADA, accountId: '557058:ada', kind: 'user', displayName: 'Ada Lovelace', nickname: 'ada' },
  trigger: { kind: 'panel', ref: null },
  source: 'natural-language',
  planSummary: 'something',
  repositories: ['acme/web'],
  repositoryUuids: [WEB],
  tools: ['pullRequest.merge'],
  steps: [],
  outcome: 'succeeded',
  message: 'Done.',
  startedAt: new Date(t0 + minute * 60_000),
  durationMs: 5,
  ...over,
});

function contract(name: string, open: () => Promise<{ audit: AuditStore; legacy?: (row: AuditEntryInput) => Promise<void> }>, close: () => Promise<void> = async () => {}) {
  describe(`audit names and filters (${name})`, () => {
    let audit: AuditStore;
    let hasLegacy = false;
    beforeAll(async () => {
      const opened = await open();
      audit = opened.audit;
      // Every trigger: panel, comment command, rule (no person), button.
      await audit.record(entry(1));
      await audit.record(entry(2, { trigger: { kind: 'pullrequest:comment_created', ref: 'c-1' }, source: 'command' }));
      await audit.record(entry(3, { actor: { userUuid: null, accountId: null, kind: 'rule' }, trigger: { kind: 'rule:auto-merge', ref: '7' }, source: 'rule' }));
      await audit.record(entry(4, { repositories: ['acme/api'], repositoryUuids: [API], actor: { userUuid: '{bob}', accountId: 'bob-1', kind: 'user', displayName: 'Bob Marley', nickname: 'bobby' } }));
      await audit.record(entry(5, { repositories: ['acme/web', 'acme/api'], repositoryUuids: [WEB, API], tools: ['branch.create'] }));
      await audit.record(entry(6, { repositories: ['acme/webapp'], repositoryUuids: [] }));
      await audit.record(entry(7, { clientKey: 'ck-other' }));
      if (opened.legacy) {
        hasLegacy = true;
        // Written before migration 0014: a repository by uuid, no names, no keys.
        await opened.legacy(entry(8, { repositories: [`acme/${WEB}`], idempotencyKey: 'names-legacy' }));
      }
    }, 60_000);
    afterAll(close);

    const keys = async (filter: AuditFilter) => (await audit.list('ck-names', filter)).entries.map((e) => Number(e.idempotencyKey.split('-')[1] ?? 0) || e.idempotencyKey);

    it('finds every entry that touched a repository by full name, slug or uuid, whatever the trigger', async () => {
      const web = hasLegacy ? ['names-legacy', 5, 3, 2, 1] : [5, 3, 2, 1];
      expect(await keys({ repository: 'acme/web' })).toEqual([5, 3, 2, 1]);
      expect(await keys({ repository: 'ACME/Web' })).toEqual([5, 3, 2, 1]);
      expect(await keys({ repository: 'web' })).toEqual([5, 3, 2, 1]);
      expect(await keys({ repository: WEB })).toEqual(web);
      expect(await keys({ repository: WEB.slice(1, -1).toUpperCase() })).toEqual(web);
      expect(await keys({ repository: `acme/${WEB}` })).toEqual(web);
      expect(await keys({ repository: 'api' })).toEqual([5, 4]);
      expect(await keys({ repository: 'we' })).toEqual([]);
      expect(await keys({ repository: 'webapp' })).toEqual([6]);
    });

    it('finds a person by display name, one word of it, nickname, @mention, account id or uuid', async () => {
      const ada = [6, 5, 2, 1];
      for (const who of ['Ada Lovelace', 'ada lovelace', 'Lovelace', 'ada', '@ada']) {
        expect(await keys({ actor: who }), who).toEqual(ada);
      }
      // An entry written before names were stored is still found by the ids it kept.
      for (const who of ['557058:ada', ADA, ADA.slice(1, -1)]) {
        expect(await keys({ actor: who }), who).toEqual(hasLegacy ? ['names-legacy', ...ada] : ada);
      }
      expect(await keys({ actor: 'bobby' })).toEqual([4]);
      expect(await keys({ actor: 'Marley' })).toEqual([4]);
      expect(await keys({ actor: 'Lovelac' })).toEqual([]);
      expect(await keys({ actor: 'ada', repository: 'api' })).toEqual([5]);
    });

    it('hands back the names it stored', async () => {
      const [latest] = (await audit.list('ck-names', { actor: 'bobby' })).entries;
      expect(latest?.actor).toMatchObject({ displayName: 'Bob Marley', nickname: 'bobby', userUuid: '{bob}' });
      expect(latest?.repositories).toEqual(['acme/api']);
    });
  });
}

contract('memory', async () => ({ audit: createMemoryAuditStore() }));

for (const kind of testDatabaseKinds()) {
  let testDb: TestDatabase;
  let db: Database;
  contract(
    kind,
    async () => {
      testDb = await createTestDatabase(kind);
      db = await createDatabase({ url: testDb.url, logger: silentLogger, schema: testDb.schema });
      const audit = createAuditStore(db);
      return {
        audit,
        legacy: async (row) => {
          const recorded = await audit.record(row);
          await db.models.AuditEntry.update(
            { repositoryKeys: null, actorName: null, actorNickname: null },
            { where: { id: recorded.id as number } },
          );
        },
      };
    },
    async () => {
      await db?.close();
      await testDb?.cleanup();
    },
  );
}
