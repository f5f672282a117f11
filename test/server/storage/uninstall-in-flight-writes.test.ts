import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryInput } from '../../../server/agent';
import { createLifecycleSubscriber } from '../../../server/create-lifecycle-subscriber';
import { createSqlJobQueue, createWorker, type JobQueue } from '../../../server/jobs';
import { createLogger } from '../../../server/log';
import { createAuditStore, createSqlBudgetStore, createTenantStore, type Database, type TenantStore } from '../../../server/storage';
import { listGuardedTables, listTenantTables } from '../../../server/storage/tenant-write-guard';
import { createTestSecretBox, toTenantInput } from '../../helpers/tenant-fixtures';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';

const logger = createLogger({ level: 'silent' });
const GONE = 'ck-uninstalled';
const KEPT = 'ck-still-installed';

const auditEntry = (clientKey: string, key: string): AuditEntryInput => ({
  clientKey,
  idempotencyKey: key,
  actor: { userUuid: null, accountId: null, kind: 'installation' },
  trigger: { kind: 'schedule', ref: null },
  source: 'rule',
  planSummary: 'late write',
  repositories: ['acme/web'],
  tools: ['pullRequest.comment'],
  steps: [],
  outcome: 'succeeded',
  message: 'done',
  startedAt: new Date(),
  durationMs: 1,
});

/** Rows of the tenant in every table that holds tenant rows (read from the schema, not a list kept here). */
async function rowsOf(db: Database, clientKey: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [...(await listTenantTables(db.sequelize)), 'tenants']) {
    const [rows] = await db.sequelize.query(`SELECT COUNT(*) AS n FROM "${table}" WHERE client_key = :clientKey`, { replacements: { clientKey } });
    const n = Number((rows as Array<{ n: number | string }>)[0]?.n ?? 0);
    if (n > 0) counts[table] = n;
  }
  return counts;
}

/** Resolves when PostgreSQL shows a session waiting for an advisory lock (the uninstall waiting for a writer). */
async function advisoryLockWaiter(db: Database): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    // The tenant locks' namespace (tenant-write-guard.ts), this database: other suites' locks do not count.
    const [rows] = await db.sequelize.query(
      "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 1114600302 AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    if (Number((rows as Array<{ n: string }>)[0]?.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('Nothing waited for the tenant lock');
}

for (const kind of testDatabaseKinds()) {
  describe(`uninstall while a job of the tenant is still running (${kind})`, () => {
    let opened: OpenedTestDatabase;
    let db: Database;
    let tenants: TenantStore;
    let queue: JobQueue;
    beforeAll(async () => {
      opened = await openTestDatabase(kind);
      db = opened.db;
      tenants = createTenantStore(db, createTestSecretBox());
      queue = createSqlJobQueue(db);
    });
    afterAll(async () => opened?.close());

    it('every table holding tenant rows is guarded', async () => {
      const tables = await listTenantTables(db.sequelize);
      expect(tables).toEqual(expect.arrayContaining(['audit_entries', 'budget_usage', 'jobs']));
      expect(await listGuardedTables(db.sequelize)).toEqual(tables);
    });

    it('a job held mid-run while the uninstall lands writes nothing of its tenant once released; another tenant’s writes land', async () => {
      await tenants.ensure(toTenantInput(GONE), new Date());
      await tenants.ensure(toTenantInput(KEPT), new Date());
      const budget = createSqlBudgetStore(db);
      const audit = createAuditStore(db);
      const minute = Math.floor(Date.now() / 60_000);
      let started: () => void = () => {};
      const running = new Promise<void>((resolve) => (started = resolve));
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let finished: () => void = () => {};
      const done = new Promise<void>((resolve) => (finished = resolve));
      const worker = createWorker({
        queue,
        concurrency: 2,
        pollIntervalMs: 10,
        leaseMs: 60_000,
        logger,
        types: ['test.late-writer'],
        handlers: {
          'test.late-writer': async (job) => {
            started();
            await held;
            try {
              // What a sync or a rule run writes at its end: its spend, a pause, an audit entry, a follow-up job.
              // A write of the uninstalled tenant is dropped, or refused where the statement reads its row back.
              for (const clientKey of [KEPT, job.clientKey]) {
                await Promise.allSettled([
                  budget.addUsage({ clientKey, credential: 'installation', lane: 'sync', purpose: 'mirror.sync', minute, count: 3 }),
                  budget.ensurePause({ clientKey, credential: 'installation', until: new Date(Date.now() + 60_000), reason: '429' }),
                  audit.record(auditEntry(clientKey, `late-${job.id}`)),
                  queue.enqueue({ clientKey, type: 'test.follow-up', payload: {}, dedupeKey: `follow-up-${job.id}` }),
                ]);
              }
            } finally {
              finished();
            }
          },
        },
      });
      const subscriber = createLifecycleSubscriber({ tenants, queue, firstSync: { type: 'mirror.sync', everyMs: 60_000 }, now: () => new Date(), logger });
      await queue.enqueue({ clientKey: GONE, type: 'test.late-writer', payload: {} });
      worker.start();
      try {
        await running;
        await subscriber({ kind: 'uninstalled', host: 'connect', clientKey: GONE });
        expect(await rowsOf(db, GONE)).toEqual({});
        release();
        await done;
      } finally {
        release();
        await worker.stop({ graceMs: 1000 });
      }
      expect(await rowsOf(db, GONE)).toEqual({});
      expect(await rowsOf(db, KEPT)).toMatchObject({ tenants: 1, budget_usage: 1, budget_pauses: 1, audit_entries: 1, jobs: 1 });
      expect(await tenants.get(GONE)).toBeNull();
    });

    it('a reinstall of the key lets its rows be written again', async () => {
      await tenants.ensure(toTenantInput('ck-back'), new Date());
      await tenants.purge('ck-back');
      // Dropped (SQLite) or refused (PostgreSQL reads the row back): either way no row.
      await queue.enqueue({ clientKey: 'ck-back', type: 'test.follow-up', payload: {} }).catch(() => null);
      expect(await rowsOf(db, 'ck-back')).toEqual({});
      await tenants.ensure(toTenantInput('ck-back'), new Date());
      await queue.enqueue({ clientKey: 'ck-back', type: 'test.follow-up', payload: {} });
      expect(await rowsOf(db, 'ck-back')).toEqual({ tenants: 1, jobs: 1 });
    });

    if (kind === 'postgres') {
      it('another instance’s transaction that wrote a row before the uninstall and commits after it leaves no row', async () => {
        await tenants.ensure(toTenantInput('ck-tx'), new Date());
        const other = opened.test;
        const { createDatabase } = await import('../../../server/storage');
        const second = await createDatabase({ url: other.url, schema: other.schema, logger });
        try {
          const writer = await second.sequelize.transaction();
          await second.sequelize.query(
            "INSERT INTO budget_usage (client_key, credential, lane, purpose, minute, count) VALUES ('ck-tx', 'installation', 'sync', 'mirror.sync', 1, 1)",
            { transaction: writer },
          );
          // The uninstall waits for the writer's commit (the purge alone would miss its uncommitted row).
          const purge = tenants.purge('ck-tx');
          await advisoryLockWaiter(db);
          await writer.commit();
          await purge;
          expect(await rowsOf(db, 'ck-tx')).toEqual({});
          // And a write that starts after the uninstall is dropped.
          await second.sequelize.query("INSERT INTO budget_usage (client_key, credential, lane, purpose, minute, count) VALUES ('ck-tx', 'installation', 'sync', 'mirror.sync', 2, 1)");
          expect(await rowsOf(db, 'ck-tx')).toEqual({});
        } finally {
          await second.close();
        }
      });
    }
  });
}
