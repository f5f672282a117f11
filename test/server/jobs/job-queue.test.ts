import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyRing, createSecretBox } from '../../../server/auth';
import { createMemoryJobQueue, createSqlJobQueue, getRetryDelayMs } from '../../../server/jobs';
import { createTenantStore } from '../../../server/storage';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase } from './open-test-database';
import { createTestClock, describeJobQueueContract } from './job-queue-contract';

describeJobQueueContract('memory', async () => ({
  createQueue: (opts) => createMemoryJobQueue(opts),
  reset: async () => {},
  close: async () => {},
}));

for (const kind of testDatabaseKinds()) {
  describeJobQueueContract(kind, async () => {
    const opened = await openTestDatabase(kind);
    return {
      createQueue: (opts) => createSqlJobQueue(opened.db, opts),
      reset: async () => {
        await opened.db.models.Job.destroy({ where: {} });
      },
      close: opened.close,
    };
  });

  describe(`SQL job queue specifics (${kind})`, () => {
    it('is purged with its tenant on uninstall', async () => {
      const { db, close } = await openTestDatabase(kind);
      try {
        const queue = createSqlJobQueue(db);
        await queue.enqueue({ clientKey: 'gone', type: 't', payload: {} });
        const kept = await queue.enqueue({ clientKey: 'kept', type: 't', payload: {} });
        const box = createSecretBox(createKeyRing([{ id: 'k1', key: randomBytes(32) }]));
        await createTenantStore(db, box).purge('gone');
        expect(await db.models.Job.count()).toBe(1);
        expect((await queue.get('kept', kept.job.id))?.id).toBe(kept.job.id);
      } finally {
        await close();
      }
    });

    it('claims a backlog quickly (prints the throughput)', async () => {
      const { db, close } = await openTestDatabase(kind);
      try {
        const clock = createTestClock();
        const queue = createSqlJobQueue(db, { now: clock.now });
        const total = 1_000;
        await db.models.Job.bulkCreate(
          Array.from({ length: total }, (_, i) => ({
            id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            clientKey: `t${i % 7}`,
            type: 'bench',
            payload: '{}',
            state: 'queued',
            attempts: 0,
            maxAttempts: 5,
            priority: 0,
            dedupeKey: null,
            runAt: clock.now(),
            lockedBy: null,
            leaseExpiresAt: null,
            lastError: null,
            result: null,
            createdAt: clock.now(),
            updatedAt: clock.now(),
          })),
        );
        const started = performance.now();
        const batches = await Promise.all(
          Array.from({ length: 4 }, async (_, w) => {
            const got: string[] = [];
            for (;;) {
              const jobs = await queue.claim(`w${w}`, { limit: 10, leaseMs: 60_000 });
              if (jobs.length === 0) return got;
              got.push(...jobs.map((j) => j.id));
            }
          }),
        );
        const ms = performance.now() - started;
        const all = batches.flat();
        expect(all).toHaveLength(total);
        expect(new Set(all).size).toBe(total);
        console.log(`[${kind}] claimed ${total} jobs in batches of 10 by 4 concurrent claimers: ${ms.toFixed(0)} ms, ${Math.round((total / ms) * 1000)} jobs/s`);
      } finally {
        await close();
      }
    });
  });
}

describe('getRetryDelayMs', () => {
  const policy = { baseMs: 1_000, maxMs: 60_000 };
  it('doubles per attempt with half of it jittered, up to the cap', () => {
    expect(getRetryDelayMs(1, policy, () => 0)).toBe(500);
    expect(getRetryDelayMs(1, policy, () => 1)).toBe(1_000);
    expect(getRetryDelayMs(3, policy, () => 0.5)).toBe(3_000);
    expect(getRetryDelayMs(20, policy, () => 1)).toBe(60_000);
    expect(getRetryDelayMs(20, policy, () => 0)).toBe(30_000);
  });
});
