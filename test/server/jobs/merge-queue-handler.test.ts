import { describe, expect, it } from 'vitest';
import { createMemoryJobQueue, createWorker } from '../../../server/jobs';
import {
  createMergeQueueCiHandler, createMergeQueueJobHandler, createMergeQueueTickHandler, enqueueMergeQueueEvent, MERGE_QUEUE_CI_JOB, MERGE_QUEUE_JOB, MERGE_QUEUE_TICK_JOB,
} from '../../../server/jobs/handlers/merge-queue-handler';
import { createLogger } from '../../../server/log';
import { createMemoryMergeQueueStore, createMergeQueueDriver, hasWork, toQueueCiVerdict, type QueuePullRequest, type QueueRepository } from '../../../server/merge-queue';

const key = { clientKey: 'tenant-1', repository: 'acme/api', branch: 'main' };

/** A repository with branches as hashes and PRs; a fast-forward lands the PRs made of the source's commits. */
function createFakeRepository() {
  const branches = new Map<string, string>([['main', 'm0'], ['feature/1', 'f1'], ['feature/2', 'f2']]);
  const prs = new Map<number, QueuePullRequest>([1, 2].map((id) => [id, { id, state: 'OPEN', sourceBranch: `feature/${id}`, sourceCommit: `f${id}`, destinationBranch: 'main', closeSourceBranch: false }]));
  const contains = new Map<string, Set<string>>();
  const statuses = new Map<string, Array<{ key: string; state: string; name?: string }>>();
  let next = 100;
  let failLanding = 0;
  const failReads = new Set<number>();
  const repo: QueueRepository = {
    async getBranchHead(name) { return branches.get(name) ?? null; },
    async createBranch(name, at) { branches.set(name, at); },
    async deleteBranch(name) { branches.delete(name); },
    async getPullRequest(id) {
      if (failReads.delete(id)) throw new Error('connection reset');
      return { ...prs.get(id)! };
    },
    async listCommitStatuses(commit) { return statuses.get(commit) ?? []; },
    async findOpenPullRequest(source, dest) { return [...prs.values()].find((p) => p.state === 'OPEN' && p.sourceBranch === source && p.destinationBranch === dest) ?? null; },
    async findMergedPullRequest(source, dest) { return [...prs.values()].find((p) => p.state === 'MERGED' && p.sourceBranch === source && p.destinationBranch === dest) ?? null; },
    async createPullRequest(input) {
      const pr = { id: next++, state: 'OPEN', sourceBranch: input.sourceBranch, sourceCommit: branches.get(input.sourceBranch)!, destinationBranch: input.destinationBranch, closeSourceBranch: false };
      prs.set(pr.id, pr);
      return pr;
    },
    async mergePullRequest(id, strategy) {
      const pr = prs.get(id)!;
      const src = branches.get(pr.sourceBranch)!;
      if (strategy === 'fast_forward') {
        if (failLanding-- > 0) throw new Error('connection reset');
        branches.set(pr.destinationBranch, src);
        for (const other of prs.values()) if (other.state === 'OPEN' && other.destinationBranch === pr.destinationBranch && contains.get(src)?.has(other.sourceCommit!)) other.state = 'MERGED';
      } else {
        const dest = branches.get(pr.destinationBranch)!;
        const merged = `${dest}+${src}`;
        contains.set(merged, new Set([...(contains.get(dest) ?? []), src]));
        branches.set(pr.destinationBranch, merged);
      }
      pr.state = 'MERGED';
      return { ok: true };
    },
  };
  return { repo, branches, prs, statuses, failLandingOnce: () => { failLanding = 1; }, failReadOnce: (id: number) => { failReads.add(id); } };
}

function setup(settings = {}) {
  const clock = { t: new Date('2026-12-01T10:00:00.000Z') };
  const now = () => clock.t;
  const queue = createMemoryJobQueue({ now, random: () => 0 });
  const fake = createFakeRepository();
  const store = createMemoryMergeQueueStore();
  const driver = createMergeQueueDriver({ store, now, repositoryFor: async () => fake.repo, defaults: () => settings });
  const worker = createWorker({ queue, handlers: { [MERGE_QUEUE_JOB]: createMergeQueueJobHandler({ driver, queue }) }, concurrency: 1, pollIntervalMs: 10, leaseMs: 5_000, logger: createLogger({ level: 'silent' }), now });
  return { clock, queue, fake, store, worker };
}

describe('merge-queue.event jobs', () => {
  it('drive the queue from enqueue to landing; redelivered CI results collapse into one job and one merge', async () => {
    const { queue, fake, store, worker } = setup({ batchSize: 2, paused: true });
    // Jobs due at the same instant run in no promised order: each step is drained before the next.
    for (const prId of [1, 2]) {
      await enqueueMergeQueueEvent(queue, key, { type: 'enqueue', prId, by: 'ada', sourceCommit: `f${prId}` });
      await worker.drain();
    }
    await enqueueMergeQueueEvent(queue, key, { type: 'configure', settings: { paused: false } });
    await worker.drain();
    const batch = (await store.load(key))!.batches[0]!;
    expect(batch).toMatchObject({ prIds: [1, 2], state: 'testing', commit: 'm0+f1+f2' });
    for (let i = 0; i < 5; i++) await enqueueMergeQueueEvent(queue, key, { type: 'ci-result', batchId: batch.id, commit: batch.commit!, passed: true });
    expect(await worker.drain()).toBe(1);
    expect(fake.branches.get('main')).toBe('m0+f1+f2');
    expect([fake.prs.get(1)!.state, fake.prs.get(2)!.state]).toEqual(['MERGED', 'MERGED']);
    expect((await store.load(key))!.stats.merged).toBe(2);
  });

  it('a job that failed while landing is retried, resumes the decision and lands once', async () => {
    const { clock, queue, fake, store, worker } = setup();
    await enqueueMergeQueueEvent(queue, key, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 'f1' });
    await worker.drain();
    fake.failLandingOnce();
    await enqueueMergeQueueEvent(queue, key, { type: 'ci-result', batchId: 'b1', commit: 'm0+f1', passed: true });
    await worker.drain();
    expect(fake.prs.get(1)!.state).toBe('OPEN');
    expect((await store.load(key))!.batches[0]!.state).toBe('landing');
    clock.t = new Date(clock.t.getTime() + 60_000);
    expect(await worker.drain()).toBe(1);
    expect(fake.prs.get(1)!.state).toBe('MERGED');
    expect((await store.load(key))!.stats.merged).toBe(1);
  });

  it('a freeze window schedules the tick that lifts it; the queue moves when it comes', async () => {
    const end = '2026-12-01T12:00:00.000Z';
    const { clock, queue, fake, worker } = setup({ freezeWindows: [{ start: '2026-12-01T09:00:00.000Z', end, reason: 'release' }] });
    await enqueueMergeQueueEvent(queue, key, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 'f1' });
    await worker.drain();
    expect(fake.branches.has('bosun-queue/main/b1')).toBe(false);
    const ticks = (await queue.list(key.clientKey, { limit: 50 })).filter((j) => j.state === 'queued');
    expect(ticks.map((j) => j.runAt.toISOString())).toEqual([end]);
    clock.t = new Date(end);
    await worker.drain();
    expect(fake.branches.get('bosun-queue/main/b1')).toBe('m0+f1');
  });

  it('refuses a payload that is not a queue event, for good', async () => {
    const { queue, worker } = setup();
    await queue.enqueue({ clientKey: key.clientKey, type: MERGE_QUEUE_JOB, payload: { repository: 'acme/api', branch: 'main', event: { type: 'land-result', outcome: 'merged' } } });
    await worker.drain();
    const [job] = await queue.list(key.clientKey, { limit: 10 });
    expect(job!.state).toBe('dead');
    expect(job!.lastError).toMatch(/not valid/);
  });
});

function setupWatched(settings = {}, options: { loseWatches?: boolean } = {}) {
  const clock = { t: new Date('2026-12-01T10:00:00.000Z') };
  const now = () => clock.t;
  const queue = createMemoryJobQueue({ now, random: () => 0 });
  const fake = createFakeRepository();
  const store = createMemoryMergeQueueStore();
  const driver = createMergeQueueDriver({ store, now, repositoryFor: async () => fake.repo, defaults: () => settings });
  const ci = { driver, queue, store, repositoryFor: async () => fake.repo, toVerdict: (s: Parameters<typeof toQueueCiVerdict>[0]) => toQueueCiVerdict(s), now, pollMs: 1_000, maxPollMs: 4_000 };
  const worker = createWorker({
    queue,
    handlers: {
      [MERGE_QUEUE_JOB]: createMergeQueueJobHandler({ driver, queue }),
      // A lost watch: its jobs fail for good (no handler), as a dead-lettered chain would.
      ...(options.loseWatches ? {} : { [MERGE_QUEUE_CI_JOB]: createMergeQueueCiHandler(ci) }),
      [MERGE_QUEUE_TICK_JOB]: createMergeQueueTickHandler({ ...ci, hasWork, staleBuildMs: 60_000 }),
    },
    concurrency: 1, pollIntervalMs: 10, leaseMs: 5_000, logger: createLogger({ level: 'silent' }), now,
  });
  const later = (ms: number) => { clock.t = new Date(clock.t.getTime() + ms); };
  const watches = async () => (await queue.list(key.clientKey, { limit: 100 })).filter((j) => j.type === MERGE_QUEUE_CI_JOB && j.state === 'queued');
  return { clock, queue, fake, store, worker, later, watches };
}

describe('merge-queue.ci watches CI on the tested commit', () => {
  it('reads the statuses until they settle (backing off), then lands the batch once', async () => {
    const { fake, queue, store, worker, later, watches } = setupWatched();
    await enqueueMergeQueueEvent(queue, key, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 'f1' });
    await worker.drain();
    expect((await store.load(key))!.batches[0]).toMatchObject({ state: 'testing', commit: 'm0+f1' });
    // Nothing reported yet, then a run in progress: pending both times, each read further apart.
    await worker.drain();
    expect((await watches()).map((j) => (j.payload as { polls: number }).polls)).toEqual([1]);
    fake.statuses.set('m0+f1', [{ key: 'build', state: 'INPROGRESS' }]);
    later(1_000);
    await worker.drain();
    const [next] = await watches();
    expect((next!.payload as { polls: number }).polls).toBe(2);
    expect(next!.runAt.getTime() - Date.parse('2026-12-01T10:00:01.000Z')).toBe(2_000);
    fake.statuses.set('m0+f1', [{ key: 'build', state: 'SUCCESSFUL' }]);
    later(2_000);
    await worker.drain();
    expect(fake.branches.get('main')).toBe('m0+f1');
    expect(fake.prs.get(1)!.state).toBe('MERGED');
    expect(await watches()).toEqual([]);
    expect((await store.load(key))!.stats.merged).toBe(1);
  });

  it('a failing check ejects the lone PR with the check named in the reason; main is untouched', async () => {
    const { fake, queue, store, worker } = setupWatched();
    fake.statuses.set('m0+f1', [{ key: 'build', state: 'SUCCESSFUL' }, { key: 'lint', state: 'FAILED', name: 'Lint' }]);
    await enqueueMergeQueueEvent(queue, key, { type: 'enqueue', prId: 1, by: 'ada', sourceCommit: 'f1' });
    await worker.drain();
    await worker.drain();
    const entry = (await store.load(key))!.entries.find((e) => e.prId === 1)!;
    expect(entry.state).toBe('ejected');
    expect(entry.reason).toContain('Lint is failing on the tested commit');
    expect(fake.branches.get('main')).toBe('m0');
  });

  it('a job that saved a built batch and then failed (the next batch\'s build threw) re-arms that batch\'s watch on retry, so it lands without waiting for the tick', async () => {
    const { fake, queue, store, worker, later, watches } = setupWatched({ batchSize: 1, depth: 2, paused: true });
    for (const prId of [1, 2]) {
      await enqueueMergeQueueEvent(queue, key, { type: 'enqueue', prId, by: 'ada', sourceCommit: `f${prId}` });
      await worker.drain();
    }
    // b1 is built and saved as testing; building b2 on top of it then fails: the job is retried.
    fake.failReadOnce(2);
    await enqueueMergeQueueEvent(queue, key, { type: 'configure', settings: { paused: false } });
    await worker.drain();
    expect((await store.load(key))!.batches.map((b) => [b.id, b.state])).toEqual([['b1', 'testing'], ['b2', 'building']]);
    expect(await watches()).toEqual([]);
    fake.statuses.set('m0+f1', [{ key: 'build', state: 'SUCCESSFUL' }]);
    later(60_000);
    await worker.drain();
    // The retry resumed b2's build and re-armed b1's watch, which read CI and landed b1.
    expect(fake.branches.get('main')).toBe('m0+f1');
    expect(fake.prs.get(1)!.state).toBe('MERGED');
    expect((await watches()).map((j) => (j.payload as { batchId: string }).batchId)).toEqual(['b2']);
  });

  it('the scheduled tick repairs a batch whose watch was lost: it reads CI once and lands it', async () => {
    const { fake, queue, store, worker, later } = setupWatched({}, { loseWatches: true });
    await enqueueMergeQueueEvent(queue, key, { type: 'enqueue', prId: 2, by: 'ada', sourceCommit: 'f2' });
    await worker.drain();
    expect(fake.prs.get(2)!.state).toBe('OPEN');
    fake.statuses.set('m0+f2', [{ key: 'build', state: 'SUCCESSFUL' }]);
    later(2 * 60_000);
    await queue.enqueue({ clientKey: key.clientKey, type: MERGE_QUEUE_TICK_JOB, payload: { periodStart: new Date().toISOString() } });
    await worker.drain();
    expect(fake.prs.get(2)!.state).toBe('MERGED');
    expect((await store.load(key))!.stats.merged).toBe(1);
  });
});
