import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  InvalidJobError,
  LeaseLostError,
  type EnqueueInput,
  type JobQueue,
  type JobQueueOptions,
} from '../../../server/jobs';
import { LEASE_EXPIRED_MESSAGE } from '../../../server/jobs/job-queue';

/** A store the contract runs against: one per suite, emptied before each test. */
export interface QueueHarness {
  createQueue(opts: JobQueueOptions): JobQueue;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
}

export function createTestClock(start = '2031-05-01T10:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

const LEASE = 3_600_000;

/** The JobQueue contract: every adapter must pass it unchanged. */
export function describeJobQueueContract(name: string, openHarness: () => Promise<QueueHarness>): void {
  describe(`JobQueue contract (${name})`, () => {
    let harness: QueueHarness;
    let clock: TestClock;
    let queue: JobQueue;
    let tenant: string;
    let n = 0;
    const job = (over: Partial<EnqueueInput> = {}): EnqueueInput => ({ clientKey: tenant, type: 'test:noop', payload: { n: n++ }, ...over });

    beforeAll(async () => {
      harness = await openHarness();
    });
    afterAll(async () => harness?.close());
    beforeEach(async () => {
      await harness.reset();
      clock = createTestClock();
      queue = harness.createQueue({ now: clock.now });
      tenant = `tenant-${Math.random().toString(36).slice(2, 10)}`;
    });

    it('enqueues, claims with a lease and an attempt, completes with a result', async () => {
      const { job: queued, created } = await queue.enqueue(job({ payload: { pr: 7, tags: ['a'], nested: { ok: true } } }));
      expect(created).toBe(true);
      expect(queued).toMatchObject({ clientKey: tenant, type: 'test:noop', state: 'queued', attempts: 0, maxAttempts: 5, priority: 0, dedupeKey: null, lockedBy: null, leaseExpiresAt: null, lastError: null, result: null });
      expect(queued.runAt.getTime()).toBe(clock.now().getTime());
      expect(queued.createdAt.getTime()).toBe(clock.now().getTime());

      const [claimed, ...rest] = await queue.claim('w1', { limit: 10, leaseMs: LEASE });
      expect(rest).toEqual([]);
      expect(claimed).toMatchObject({ id: queued.id, state: 'running', attempts: 1, lockedBy: 'w1', payload: { pr: 7, tags: ['a'], nested: { ok: true } } });
      expect(claimed?.leaseExpiresAt?.getTime()).toBe(clock.now().getTime() + LEASE);
      expect(await queue.claim('w2', { limit: 10, leaseMs: LEASE })).toEqual([]);

      clock.advance(1_000);
      await queue.complete(queued.id, 'w1', { merged: true });
      const done = await queue.get(tenant, queued.id);
      expect(done).toMatchObject({ state: 'succeeded', attempts: 1, lockedBy: null, leaseExpiresAt: null, result: { merged: true } });
      expect(done?.updatedAt.getTime()).toBe(clock.now().getTime());
      clock.advance(LEASE * 10);
      expect(await queue.claim('w2', { limit: 10, leaseMs: LEASE })).toEqual([]);
    });

    it('refuses input that can never become a job', async () => {
      await expect(queue.enqueue(job({ type: '' }))).rejects.toBeInstanceOf(InvalidJobError);
      await expect(queue.enqueue(job({ payload: { big: 10n } }))).rejects.toBeInstanceOf(InvalidJobError);
      await expect(queue.enqueue(job({ payload: undefined }))).rejects.toBeInstanceOf(InvalidJobError);
      await expect(queue.enqueue(job({ maxAttempts: 0 }))).rejects.toBeInstanceOf(InvalidJobError);
      expect(await queue.list(tenant, { limit: 10 })).toEqual([]);
    });

    it('keeps at most one job per (tenant, dedupeKey), ever, even under concurrent enqueues', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => queue.enqueue(job({ dedupeKey: 'delivery-1', payload: { i } }))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const first = results.find((r) => r.created)!.job;
      expect(new Set(results.map((r) => r.job.id))).toEqual(new Set([first.id]));
      expect(first.dedupeKey).toBe('delivery-1');

      const [claimed] = await queue.claim('w1', { limit: 1, leaseMs: LEASE });
      await queue.complete(claimed!.id, 'w1');
      const again = await queue.enqueue(job({ dedupeKey: 'delivery-1' }));
      expect(again).toMatchObject({ created: false, job: { id: first.id, state: 'succeeded' } });

      const other = await queue.enqueue(job({ clientKey: `${tenant}-other`, dedupeKey: 'delivery-1' }));
      expect(other.created).toBe(true);
      const noKey = await Promise.all([queue.enqueue(job()), queue.enqueue(job())]);
      expect(noKey.every((r) => r.created)).toBe(true);
    });

    it('does not claim a job before its runAt; claims by priority, then due time; filters by type', async () => {
      const later = await queue.enqueue(job({ runAt: new Date(clock.now().getTime() + 60_000) }));
      const low = await queue.enqueue(job({ runAt: new Date(clock.now().getTime() - 2_000) }));
      const lowNewer = await queue.enqueue(job({ runAt: new Date(clock.now().getTime() - 1_000) }));
      const high = await queue.enqueue(job({ priority: 10 }));
      const other = await queue.enqueue(job({ type: 'test:other' }));

      expect((await queue.claim('w1', { limit: 10, leaseMs: LEASE, types: ['test:noop'] })).map((j) => j.id)).toEqual([high.job.id, low.job.id, lowNewer.job.id]);
      expect(await queue.claim('w1', { limit: 10, leaseMs: LEASE, types: [] })).toEqual([]);
      expect((await queue.claim('w1', { limit: 10, leaseMs: LEASE })).map((j) => j.id)).toEqual([other.job.id]);

      clock.advance(59_999);
      expect(await queue.claim('w1', { limit: 10, leaseMs: LEASE })).toEqual([]);
      clock.advance(1);
      expect((await queue.claim('w1', { limit: 10, leaseMs: LEASE })).map((j) => j.id)).toEqual([later.job.id]);
    });

    it('retries with exponential backoff and jitter, honours retryAfterMs, then dead-letters after maxAttempts', async () => {
      const { job: queued } = await queue.enqueue(job({ maxAttempts: 3 }));
      await queue.claim('w1', { limit: 1, leaseMs: LEASE });

      const t1 = clock.now().getTime();
      const first = await queue.fail(queued.id, 'w1', { message: 'Bitbucket 502', retryable: true });
      expect(first).toMatchObject({ state: 'queued', attempts: 1, lockedBy: null, leaseExpiresAt: null, lastError: 'Bitbucket 502' });
      const delay1 = first.runAt.getTime() - t1;
      expect(delay1).toBeGreaterThanOrEqual(DEFAULT_RETRY_POLICY.baseMs / 2);
      expect(delay1).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.baseMs);
      expect(await queue.claim('w1', { limit: 1, leaseMs: LEASE })).toEqual([]);

      clock.advance(delay1);
      const [second] = await queue.claim('w2', { limit: 1, leaseMs: LEASE });
      expect(second).toMatchObject({ id: queued.id, attempts: 2, lockedBy: 'w2' });
      const t2 = clock.now().getTime();
      const retried = await queue.fail(queued.id, 'w2', { message: 'rate limited', retryable: true, retryAfterMs: 42_000 });
      expect(retried.runAt.getTime()).toBe(t2 + 42_000);

      clock.advance(41_999);
      expect(await queue.claim('w1', { limit: 1, leaseMs: LEASE })).toEqual([]);
      clock.advance(1);
      expect((await queue.claim('w1', { limit: 1, leaseMs: LEASE }))[0]?.attempts).toBe(3);
      const dead = await queue.fail(queued.id, 'w1', { message: 'still failing', retryable: true });
      expect(dead).toMatchObject({ state: 'dead', attempts: 3, lastError: 'still failing', lockedBy: null });
      clock.advance(24 * 3600_000);
      expect(await queue.claim('w1', { limit: 1, leaseMs: LEASE })).toEqual([]);
      expect((await queue.get(tenant, queued.id))?.state).toBe('dead');

      const revived = await queue.retryDead(tenant, queued.id);
      expect(revived).toMatchObject({ state: 'queued', attempts: 0 });
      expect(await queue.retryDead(tenant, queued.id)).toBeNull();
      expect((await queue.claim('w3', { limit: 1, leaseMs: LEASE }))[0]).toMatchObject({ id: queued.id, attempts: 1 });
    });

    it('dead-letters a non-retryable failure at once and caps a long error message', async () => {
      const { job: queued } = await queue.enqueue(job());
      await queue.claim('w1', { limit: 1, leaseMs: LEASE });
      const dead = await queue.fail(queued.id, 'w1', { message: `PermanentJobError: ${'x'.repeat(10_000)}`, retryable: false });
      expect(dead).toMatchObject({ state: 'dead', attempts: 1 });
      expect(dead.lastError!.length).toBeLessThanOrEqual(4_000);
      expect(dead.lastError).toMatch(/^PermanentJobError: x+/);
    });

    it('reclaims a job whose worker died once the lease expires; heartbeats keep it; the stale worker is refused', async () => {
      const { job: queued } = await queue.enqueue(job());
      await queue.claim('w1', { limit: 1, leaseMs: 1_000 });

      clock.advance(800);
      expect(await queue.claim('w2', { limit: 1, leaseMs: 1_000 })).toEqual([]);
      expect(await queue.heartbeat(queued.id, 'w1', 1_000)).toBe(true);
      clock.advance(800); // past the first lease, inside the extended one
      expect(await queue.claim('w2', { limit: 1, leaseMs: 1_000 })).toEqual([]);
      expect(await queue.heartbeat(queued.id, 'w2', 1_000)).toBe(false);

      clock.advance(200); // exactly at expiry: reclaimable
      const [taken] = await queue.claim('w2', { limit: 1, leaseMs: 1_000 });
      expect(taken).toMatchObject({ id: queued.id, lockedBy: 'w2', attempts: 2, state: 'running' });

      await expect(queue.complete(queued.id, 'w1', { stale: true })).rejects.toBeInstanceOf(LeaseLostError);
      await expect(queue.fail(queued.id, 'w1', { message: 'x', retryable: false })).rejects.toMatchObject({ code: 'JOB_LEASE_LOST', jobId: queued.id, workerId: 'w1' });
      await expect(queue.release(queued.id, 'w1')).rejects.toBeInstanceOf(LeaseLostError);
      expect(await queue.heartbeat(queued.id, 'w1', 1_000)).toBe(false);
      expect(await queue.get(tenant, queued.id)).toMatchObject({ state: 'running', lockedBy: 'w2', result: null });

      await queue.complete(queued.id, 'w2', 'ok');
      expect(await queue.get(tenant, queued.id)).toMatchObject({ state: 'succeeded', result: 'ok', attempts: 2 });
      await expect(queue.complete(queued.id, 'w2')).rejects.toBeInstanceOf(LeaseLostError);
      await expect(queue.complete('no-such-job', 'w2')).rejects.toBeInstanceOf(LeaseLostError);
    });

    it('dead-letters a job whose lease expired on its last attempt instead of running it again', async () => {
      const { job: queued } = await queue.enqueue(job({ maxAttempts: 2 }));
      await queue.claim('w1', { limit: 1, leaseMs: 1_000 });
      clock.advance(1_000);
      expect((await queue.claim('w2', { limit: 1, leaseMs: 1_000 }))[0]?.attempts).toBe(2);
      clock.advance(1_000);
      expect(await queue.claim('w3', { limit: 1, leaseMs: 1_000 })).toEqual([]);
      expect(await queue.get(tenant, queued.id)).toMatchObject({ state: 'dead', attempts: 2, lockedBy: null, lastError: LEASE_EXPIRED_MESSAGE });
    });

    it('release puts the job back at once without spending the attempt', async () => {
      const { job: queued } = await queue.enqueue(job({ runAt: new Date(clock.now().getTime() - 5_000) }));
      await queue.claim('w1', { limit: 1, leaseMs: LEASE });
      await queue.release(queued.id, 'w1');
      expect(await queue.get(tenant, queued.id)).toMatchObject({ state: 'queued', attempts: 0, lockedBy: null, leaseExpiresAt: null });
      await expect(queue.complete(queued.id, 'w1')).rejects.toBeInstanceOf(LeaseLostError);
      expect((await queue.claim('w2', { limit: 1, leaseMs: LEASE }))[0]).toMatchObject({ id: queued.id, attempts: 1, lockedBy: 'w2' });
    });

    it('never hands one job to two of 10 concurrent claimers (50 jobs)', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 50; i++) ids.add((await queue.enqueue(job({ clientKey: `${tenant}-${i % 3}` }))).job.id);
      const batches = await Promise.all(Array.from({ length: 10 }, (_, w) => queue.claim(`w${w}`, { limit: 10, leaseMs: LEASE })));
      const claimed = batches.flat();
      expect(new Set(claimed.map((j) => j.id)).size).toBe(claimed.length);
      batches.forEach((batch, w) => batch.forEach((j) => expect(j).toMatchObject({ lockedBy: `w${w}`, attempts: 1 })));
      // SKIP LOCKED may leave a few for a later claim; together they must be exactly the 50.
      const rest = await queue.claim('late', { limit: 100, leaseMs: LEASE });
      const all = [...claimed, ...rest].map((j) => j.id);
      expect(all).toHaveLength(50);
      expect(new Set(all)).toEqual(ids);
    });

    it('scopes get, list and retryDead by tenant, with state, type, limit and offset', async () => {
      const other = `${tenant}-other`;
      const a1 = (await queue.enqueue(job({ type: 'pr:merge' }))).job;
      clock.advance(1);
      const a2 = (await queue.enqueue(job({ type: 'pr:comment' }))).job;
      clock.advance(1);
      const a3 = (await queue.enqueue(job({ type: 'pr:merge' }))).job;
      const b1 = (await queue.enqueue(job({ clientKey: other, type: 'pr:merge' }))).job;

      expect(await queue.get(other, a1.id)).toBeNull();
      expect((await queue.get(tenant, a1.id))?.id).toBe(a1.id);
      expect((await queue.list(tenant, { limit: 10 })).map((j) => j.id)).toEqual([a3.id, a2.id, a1.id]);
      expect((await queue.list(tenant, { limit: 10, type: 'pr:merge' })).map((j) => j.id)).toEqual([a3.id, a1.id]);
      expect((await queue.list(tenant, { limit: 1, offset: 1 })).map((j) => j.id)).toEqual([a2.id]);
      expect((await queue.list(other, { limit: 10 })).map((j) => j.id)).toEqual([b1.id]);

      const claimed = await queue.claim('w1', { limit: 10, leaseMs: LEASE, types: ['pr:comment'] });
      await queue.fail(claimed[0]!.id, 'w1', { message: 'nope', retryable: false });
      expect((await queue.list(tenant, { limit: 10, state: 'dead' })).map((j) => j.id)).toEqual([a2.id]);
      expect(await queue.list(tenant, { limit: 10, state: 'running' })).toEqual([]);
      expect(await queue.retryDead(other, a2.id)).toBeNull();
      expect((await queue.get(tenant, a2.id))?.state).toBe('dead');
      expect(await queue.retryDead(tenant, b1.id)).toBeNull();
    });
  });
}
