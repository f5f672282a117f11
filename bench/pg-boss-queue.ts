/**
 * pg-boss 10 against Bosun's SQL queue on the same PostgreSQL, for issue 10's queue choice: the
 * figures the note's decision rests on.
 * - Throughput: 2,000 jobs enqueued, then claimed 8 at a time and completed by 4 concurrent loops
 *   (pg-boss: send / fetch / complete; SQL queue: enqueue / claim / complete). Baseline: the SQL queue.
 * - Recovery after a worker dies holding a job: pg-boss has no lease renewal, so a job comes back
 *   only when its fixed `expireInSeconds` has passed AND a maintenance run (every
 *   `maintenanceIntervalSeconds`, at least 1 s; default 120 s) has failed it over to retry; the SQL
 *   queue hands it to the next claim once its lease (renewed by heartbeats while the worker lives)
 *   has run out. Both with a 2 s lease/expiry and pg-boss at its fastest maintenance setting.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { createSqlJobQueue } from '../server/jobs';
import { createLogger } from '../server/log';
import { createDatabase } from '../server/storage';
import { postgresUrl } from '../test/helpers/test-databases';

const JOBS = 2_000;
const LOOPS = 4;
const BATCH = 8;
const LEASE_S = 2;

async function withSchema<T>(url: string, run: (schema: string) => Promise<T>): Promise<T> {
  const schema = `bosun_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE SCHEMA ${schema}`);
  try {
    return await run(schema);
  } finally {
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

async function drainLoops(take: () => Promise<number>): Promise<void> {
  await Promise.all(
    Array.from({ length: LOOPS }, async () => {
      while ((await take()) > 0);
    }),
  );
}

async function measureSqlQueue(url: string): Promise<{ perSecond: number; recoveryMs: number }> {
  return withSchema(url, async (schema) => {
    const db = await createDatabase({ url, schema, logger: createLogger({ level: 'silent' }) });
    try {
      const queue = createSqlJobQueue(db);
      const started = performance.now();
      for (let i = 0; i < JOBS; i++) await queue.enqueue({ clientKey: 't1', type: 'bench.noop', payload: { i } });
      await drainLoops(async () => {
        const jobs = await queue.claim(`w${Math.random()}`, { limit: BATCH, leaseMs: 30_000 });
        for (const job of jobs) await queue.complete(job.id, job.lockedBy ?? '');
        return jobs.length;
      });
      const perSecond = JOBS / ((performance.now() - started) / 1000);
      // A worker claims a job and dies (no heartbeat, no release).
      await queue.enqueue({ clientKey: 't1', type: 'bench.crash', payload: {} });
      await queue.claim('dead-worker', { limit: 1, leaseMs: LEASE_S * 1000, types: ['bench.crash'] });
      const died = performance.now();
      for (;;) {
        if ((await queue.claim('survivor', { limit: 1, leaseMs: 30_000, types: ['bench.crash'] })).length > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return { perSecond, recoveryMs: performance.now() - died };
    } finally {
      await db.close();
    }
  });
}

interface PgBossFigures {
  perSecond: number;
  recoveryMs: number;
  /** A live worker's job, running past its expiry, was fetched by a second worker: it runs twice. */
  handedOutTwice: boolean;
  /** The first worker's late complete() was accepted though the second one holds the job now. */
  lateCompleteAccepted: boolean;
}

async function measurePgBoss(url: string): Promise<PgBossFigures> {
  return withSchema(url, async (schema) => {
    const boss = new PgBoss({ connectionString: url, schema, maintenanceIntervalSeconds: 1, monitorStateIntervalSeconds: 60 });
    boss.on('error', (err: unknown) => console.error('pg-boss error', err));
    await boss.start();
    try {
      await boss.createQueue('bench-noop');
      await boss.createQueue('bench-crash', { name: 'bench-crash', retryLimit: 3 });
      const started = performance.now();
      for (let i = 0; i < JOBS; i++) await boss.send('bench-noop', { clientKey: 't1', i });
      await drainLoops(async () => {
        const jobs = await boss.fetch('bench-noop', { batchSize: BATCH });
        for (const job of jobs) await boss.complete('bench-noop', job.id);
        return jobs.length;
      });
      const perSecond = JOBS / ((performance.now() - started) / 1000);
      await boss.send('bench-crash', {}, { expireInSeconds: LEASE_S });
      await boss.fetch('bench-crash');
      const died = performance.now();
      for (;;) {
        const [again] = await boss.fetch('bench-crash');
        if (again) {
          await boss.complete('bench-crash', again.id);
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const recoveryMs = performance.now() - died;
      // A worker that is alive and still running its job: pg-boss cannot extend the expiry.
      await boss.send('bench-crash', {}, { expireInSeconds: LEASE_S });
      const [first] = await boss.fetch('bench-crash');
      let second: { id: string } | undefined;
      for (let waited = 0; waited < 10_000 && !second; waited += 100) {
        [second] = await boss.fetch('bench-crash');
        if (!second) await new Promise((r) => setTimeout(r, 100));
      }
      // complete() answers { affected } (src/manager.js); its declared type says void.
      const late: unknown = first ? await boss.complete('bench-crash', first.id) : null;
      const affected = (late as { affected?: unknown } | null)?.affected;
      return { perSecond, recoveryMs, handedOutTwice: first !== undefined && second?.id === first.id, lateCompleteAccepted: typeof affected === 'number' && affected > 0 };
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
}

export async function benchPgBossQueue(): Promise<void> {
  const url = postgresUrl();
  if (!url) {
    console.log('pg-boss-queue: skipped, set DATABASE_URL=postgres://… to run it');
    return;
  }
  const sql = await measureSqlQueue(url);
  const boss = await measurePgBoss(url);
  console.log(`pg-boss-queue: SQL queue ${sql.perSecond.toFixed(0)} jobs/s, a dead worker's job back after ${sql.recoveryMs.toFixed(0)} ms (lease ${LEASE_S} s)`);
  console.log(`pg-boss-queue: pg-boss   ${boss.perSecond.toFixed(0)} jobs/s, a dead worker's job back after ${boss.recoveryMs.toFixed(0)} ms (expireInSeconds ${LEASE_S}, maintenance every 1 s; 120 s by default)`);
  console.log(`pg-boss-queue: pg-boss, a live worker's job past its expiry handed to a second worker: ${boss.handedOutTwice ? 'yes' : 'no'}; the first worker's late complete accepted: ${boss.lateCompleteAccepted ? 'yes' : 'no'} (the SQL queue: the lease is renewed by heartbeats, and a write without the lease is refused)`);
  console.log(`RESULT name=pg-boss-queue value=${boss.perSecond.toFixed(0)} unit=jobs/s baseline=${sql.perSecond.toFixed(0)} ratio=${(boss.perSecond / sql.perSecond).toFixed(3)}`);
}
