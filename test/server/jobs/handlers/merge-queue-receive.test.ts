import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor, createMemoryAuditStore, createMemoryExecutionStore, createToolCatalog, type ClientResolver } from '../../../../server/agent';
import { createBitbucketClient } from '../../../../server/bitbucket';
import { createMergeQueueServices } from '../../../../server/create-merge-queue-services';
import type { TenantStore, TenantWithSecret } from '../../../../server/host';
import { createMemoryJobQueue, createReceiver, type Job } from '../../../../server/jobs';
import { MERGE_QUEUE_CI_JOB, MERGE_QUEUE_JOB, MERGE_QUEUE_TICK_JOB } from '../../../../server/jobs/handlers/merge-queue-handler';
import { MERGE_QUEUE_PR_JOB, MERGE_QUEUE_STATUS_JOB } from '../../../../server/jobs/handlers/merge-queue-status-jobs';
import type { WebhookDeliveryStore } from '../../../../server/jobs/webhook-delivery-store';
import { createMemoryMergeQueueStore } from '../../../../server/merge-queue';
import { createMemoryPolicyStore } from '../../../../server/policies';
import { ALL_SCOPES, startHarness, type Harness } from '../../../sandbox/helpers/setup';
import { silentLogger } from '../../agent/agent-fakes';
import { toTestTenant } from './handler-harness';

/**
 * The merge queue's jobs as the composition root wires them (createMergeQueueServices' handlers), fed
 * through `receive()`: in-memory queue state, policies and job queue, the sandbox as Bitbucket. Each
 * job a handler queues is taken from the in-memory queue and received in turn, as the worker would.
 */
describe('merge-queue jobs through receive()', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function setup() {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES }, sandbox: { rateLimitPerHour: 0, asyncMergeMs: 5 } });
    const tenant: TenantWithSecret = { ...toTestTenant(h.inst.clientKey, { workspaceUuid: null, workspaceSlug: 'acme' }), sharedSecret: h.inst.sharedSecret };
    // The sandbox names itself http://sandbox.test in Location headers: the injected fetch takes that name to its port.
    const client = createBitbucketClient({
      baseApiUrl: 'http://sandbox.test',
      fetch: (input, init) => globalThis.fetch(String(input instanceof Request ? input.url : input).replace('http://sandbox.test', h.url), init),
      auth: { kind: 'connect-jwt', appKey: h.inst.key, clientKey: tenant.clientKey, sharedSecret: tenant.sharedSecret },
      retry: { maxRetries: 0 },
    });
    // Real time (the sandbox's is), moved on by `later` for what the scheduled tick calls stale.
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);
    const queue = createMemoryJobQueue({ now, random: () => 0 });
    const store = createMemoryMergeQueueStore();
    // The stored deliveries merge-queue.pullrequest reads (by request uuid), as the intake keeps them.
    const deliveries = new Map<string, unknown>();
    const executor = createExecutor({ tools: createToolCatalog([]), clients: {} as ClientResolver, audit: createMemoryAuditStore(), executions: createMemoryExecutionStore(), logger: silentLogger, now, installationScopes: [] });
    const services = createMergeQueueServices({
      store, policies: createMemoryPolicyStore(), now, logger: silentLogger, executor: () => executor, queue, ciPollMs: 10,
      tenants: { getWithSecret: async (clientKey: string) => (clientKey === tenant.clientKey ? tenant : null) } as unknown as TenantStore,
      deliveries: { getByRequestUuid: async (clientKey: string, uuid: string) => (clientKey === tenant.clientKey && deliveries.has(uuid) ? { payload: deliveries.get(uuid) } : null) } as unknown as WebhookDeliveryStore,
      clients: { forTenant: () => client },
    });
    const receiver = createReceiver(services.handlers, { logger: silentLogger, now });
    const received = new Set<string>();
    /** The queued jobs of `type` no receive() has run yet. */
    const pending = async (type: string): Promise<Job[]> =>
      (await queue.list(tenant.clientKey, { limit: 100 })).filter((j) => j.type === type && j.state === 'queued' && !received.has(j.id));
    const runJob = (job: Job) => {
      received.add(job.id);
      return receiver.receive({ type: job.type, clientKey: job.clientKey, payload: job.payload, id: job.id });
    };
    const repoUuid = () => h.sandbox.state.repositories.find((r) => r.slug === 'web')!.uuid;
    const openPr = (name: string) => {
      h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: `feature/${name}`, actor: 'bob', message: name, files: { [`${name}.txt`]: `${name}\n` } });
      const pr = h.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: name, sourceBranch: `feature/${name}` });
      return { id: pr.id, sourceCommit: pr.source.hash };
    };
    const prState = (id: number) => h.sandbox.state.pullRequests.find((p) => p.id === id && p.repoUuid === repoUuid())!.state;
    const mainHead = () => h.sandbox.state.branches.find((b) => b.name === 'main' && b.repoUuid === repoUuid())!.target;
    const key = { clientKey: tenant.clientKey, repository: 'acme/web', branch: 'main' };
    const storeDelivery = (uuid: string, payload: unknown) => void deliveries.set(uuid, payload);
    return { receiver, store, key, pending, runJob, openPr, prState, mainHead, client, clientKey: tenant.clientKey, storeDelivery, later: (ms: number) => void (offsetMs += ms) };
  }

  it('an enqueue builds the batch and arms its CI watch; green CI on the tested commit lands it and Bitbucket marks the PR merged', async () => {
    const t = await setup();
    const pr = t.openPr('alpha');
    const before = t.mainHead();
    await t.receiver.receive({ type: MERGE_QUEUE_JOB, clientKey: t.clientKey, payload: { repository: 'acme/web', branch: 'main', event: { type: 'enqueue', prId: pr.id, by: 'ada', sourceCommit: pr.sourceCommit } } });
    const batch = (await t.store.load(t.key))!.batches[0]!;
    expect(batch).toMatchObject({ prIds: [pr.id], state: 'testing' });
    const [watch] = await t.pending(MERGE_QUEUE_CI_JOB);
    expect(watch?.payload).toMatchObject({ batchId: batch.id, commit: batch.commit, polls: 0 });
    // CI still running: the watch reads again later (a next watch is queued), nothing lands.
    await t.client.statuses.createBuild('acme', 'web', batch.commit!, { key: 'queue-ci', state: 'INPROGRESS', url: 'https://ci.example/q', name: 'Queue CI' });
    await t.runJob(watch!);
    expect(t.prState(pr.id)).toBe('OPEN');
    const [again] = await t.pending(MERGE_QUEUE_CI_JOB);
    expect(again?.payload).toMatchObject({ batchId: batch.id, polls: 1 });
    await t.client.statuses.createBuild('acme', 'web', batch.commit!, { key: 'queue-ci', state: 'SUCCESSFUL', url: 'https://ci.example/q', name: 'Queue CI' });
    await t.runJob(again!);
    await expect.poll(() => t.prState(pr.id), { timeout: 5_000 }).toBe('MERGED');
    // main is the tested commit (fast-forwarded to it), not what it was.
    expect(t.mainHead()).not.toBe(before);
    expect(t.mainHead()).toBe(batch.commit);
    expect((await t.store.load(t.key))!.stats.merged).toBe(1);
  });

  it('red CI on the tested commit ejects the lone PR and leaves main as it was', async () => {
    const t = await setup();
    const pr = t.openPr('bravo');
    const before = t.mainHead();
    await t.receiver.receive({ type: MERGE_QUEUE_JOB, clientKey: t.clientKey, payload: { repository: 'acme/web', branch: 'main', event: { type: 'enqueue', prId: pr.id, by: 'ada', sourceCommit: pr.sourceCommit } } });
    const batch = (await t.store.load(t.key))!.batches[0]!;
    await t.client.statuses.createBuild('acme', 'web', batch.commit!, { key: 'queue-ci', state: 'FAILED', url: 'https://ci.example/q', name: 'Queue CI' });
    const [watch] = await t.pending(MERGE_QUEUE_CI_JOB);
    await t.runJob(watch!);
    expect(t.prState(pr.id)).toBe('OPEN');
    expect(t.mainHead()).toBe(before);
    const state = (await t.store.load(t.key))!;
    expect(state.entries.find((e) => e.prId === pr.id)).toMatchObject({ state: 'ejected', reason: expect.stringContaining('Queue CI is failing on the tested commit') });
    expect(state.batches.map((b) => [b.id, b.state])).toEqual([[batch.id, 'failed']]);
    expect(await t.pending(MERGE_QUEUE_CI_JOB)).toEqual([]);
  });

  it('the scheduled tick repairs a batch whose CI watch never ran: it reads CI on the tested commit and lands it', async () => {
    const t = await setup();
    const pr = t.openPr('charlie');
    await t.receiver.receive({ type: MERGE_QUEUE_JOB, clientKey: t.clientKey, payload: { repository: 'acme/web', branch: 'main', event: { type: 'enqueue', prId: pr.id, by: 'ada', sourceCommit: pr.sourceCommit } } });
    const batch = (await t.store.load(t.key))!.batches[0]!;
    await t.client.statuses.createBuild('acme', 'web', batch.commit!, { key: 'queue-ci', state: 'SUCCESSFUL', url: 'https://ci.example/q', name: 'Queue CI' });
    // The watch job is lost (never received). A tick soon after leaves the batch to it; one past the stale age reads CI.
    await t.receiver.receive({ type: MERGE_QUEUE_TICK_JOB, clientKey: t.clientKey, payload: {} });
    expect(t.prState(pr.id)).toBe('OPEN');
    t.later(6 * 60_000);
    await t.receiver.receive({ type: MERGE_QUEUE_TICK_JOB, clientKey: t.clientKey, payload: {} });
    await expect.poll(() => t.prState(pr.id), { timeout: 5_000 }).toBe('MERGED');
    expect(t.mainHead()).toBe(batch.commit);
  });

  it('a payload that is not a queue event fails for good', async () => {
    const t = await setup();
    await expect(t.receiver.receive({ type: MERGE_QUEUE_JOB, clientKey: t.clientKey, payload: { repository: 'acme/web', branch: 'main', event: { type: 'land-result', outcome: 'merged' } } })).rejects.toMatchObject({ retryable: false });
  });
  async function enqueued(t: Awaited<ReturnType<typeof setup>>, name: string) {
    const pr = t.openPr(name);
    await t.receiver.receive({ type: MERGE_QUEUE_JOB, clientKey: t.clientKey, payload: { repository: 'acme/web', branch: 'main', event: { type: 'enqueue', prId: pr.id, by: 'ada', sourceCommit: pr.sourceCommit } } });
    return { pr, batch: (await t.store.load(t.key))!.batches[0]! };
  }

  it('merge-queue.status: a status on another commit reads nothing; green on the tested commit (short hash) lands the batch at once', async () => {
    const t = await setup();
    const { pr, batch } = await enqueued(t, 'delta');
    await t.client.statuses.createBuild('acme', 'web', batch.commit!, { key: 'queue-ci', state: 'SUCCESSFUL', url: 'https://ci.example/q', name: 'Queue CI' });
    expect(await t.receiver.receive({ type: MERGE_QUEUE_STATUS_JOB, clientKey: t.clientKey, payload: { commitHash: '0123456789ab' } })).toEqual({ checked: 0 });
    expect(t.prState(pr.id)).toBe('OPEN');
    // Bitbucket's webhooks carry 12-character hashes; the batch holds the full one.
    expect(await t.receiver.receive({ type: MERGE_QUEUE_STATUS_JOB, clientKey: t.clientKey, payload: { commitHash: batch.commit!.slice(0, 12) } })).toEqual({ checked: 1 });
    await expect.poll(() => t.prState(pr.id), { timeout: 5_000 }).toBe('MERGED');
    expect(t.mainHead()).toBe(batch.commit);
  });

  it("merge-queue.status: a failed build on a queued PR's own commit ejects it, naming the build; Bosun's own statuses and passing ones do not", async () => {
    const t = await setup();
    const { pr } = await enqueued(t, 'echo');
    await t.client.statuses.createBuild('acme', 'web', pr.sourceCommit, { key: 'bosun/queue', state: 'FAILED', url: 'https://ci.example/b', name: 'Bosun queue' });
    await t.client.statuses.createBuild('acme', 'web', pr.sourceCommit, { key: 'lint', state: 'SUCCESSFUL', url: 'https://ci.example/l', name: 'Lint' });
    await t.receiver.receive({ type: MERGE_QUEUE_STATUS_JOB, clientKey: t.clientKey, payload: { commitHash: pr.sourceCommit } });
    expect((await t.store.load(t.key))!.entries.find((e) => e.prId === pr.id)?.state).toBe('batched');
    await t.client.statuses.createBuild('acme', 'web', pr.sourceCommit, { key: 'unit', state: 'FAILED', url: 'https://ci.example/u', name: 'Unit tests' });
    await t.receiver.receive({ type: MERGE_QUEUE_STATUS_JOB, clientKey: t.clientKey, payload: { commitHash: pr.sourceCommit } });
    expect((await t.store.load(t.key))!.entries.find((e) => e.prId === pr.id)).toMatchObject({ state: 'ejected', reason: expect.stringContaining('Unit tests failed') });
    expect(t.prState(pr.id)).toBe('OPEN');
  });

  it('merge-queue.status: a payload without a commit hash fails for good', async () => {
    const t = await setup();
    await expect(t.receiver.receive({ type: MERGE_QUEUE_STATUS_JOB, clientKey: t.clientKey, payload: { commitHash: 'not a hash' } })).rejects.toMatchObject({ retryable: false });
  });

  const prDelivery = (id: number, state: string, hash: string) => ({
    repository: { full_name: 'acme/web' },
    pullrequest: { id, state, source: { commit: { hash } }, destination: { branch: { name: 'main' } } },
  });

  it('merge-queue.pullrequest: the same commit (12-character hash), a PR in no queue and a delivery without a PR change nothing; a new commit ejects the PR', async () => {
    const t = await setup();
    const { pr } = await enqueued(t, 'foxtrot');
    t.storeDelivery('same', prDelivery(pr.id, 'OPEN', pr.sourceCommit.slice(0, 12)));
    t.storeDelivery('other-pr', prDelivery(pr.id + 100, 'OPEN', 'abcdefabcdef'));
    t.storeDelivery('no-pr', { repository: { full_name: 'acme/web' } });
    t.storeDelivery('pushed', prDelivery(pr.id, 'OPEN', 'abcdefabcdef'));
    const receivePr = (requestUuid: string) => t.receiver.receive({ type: MERGE_QUEUE_PR_JOB, clientKey: t.clientKey, payload: { requestUuid } });
    expect(await receivePr('same')).toEqual({ ignored: 'same commit' });
    expect(await receivePr('other-pr')).toEqual({ ignored: 'not queued' });
    expect(await receivePr('no-pr')).toEqual({ ignored: 'no pull request in the delivery' });
    expect(await receivePr('never-stored')).toEqual({ ignored: 'no pull request in the delivery' });
    expect((await t.store.load(t.key))!.entries.find((e) => e.prId === pr.id)?.state).toBe('batched');
    expect(await receivePr('pushed')).toMatchObject({ event: 'pr-updated' });
    expect((await t.store.load(t.key))!.entries.find((e) => e.prId === pr.id)).toMatchObject({ state: 'ejected', reason: expect.stringContaining('A new commit (abcdefabcdef)') });
    // Ejected: a later delivery of the same PR finds it in no queue.
    expect(await receivePr('pushed')).toEqual({ ignored: 'not queued' });
  });

  it('merge-queue.pullrequest: a queued PR merged or declined outside the queue leaves it', async () => {
    const t = await setup();
    const { pr } = await enqueued(t, 'golf');
    t.storeDelivery('merged', prDelivery(pr.id, 'MERGED', pr.sourceCommit.slice(0, 12)));
    expect(await t.receiver.receive({ type: MERGE_QUEUE_PR_JOB, clientKey: t.clientKey, payload: { requestUuid: 'merged' } })).toMatchObject({ event: 'pr-closed' });
    expect((await t.store.load(t.key))!.entries.find((e) => e.prId === pr.id)).toMatchObject({ state: 'dequeued', reason: 'Merged outside the queue.' });
    const other = await enqueued(t, 'hotel');
    t.storeDelivery('declined', prDelivery(other.pr.id, 'DECLINED', other.pr.sourceCommit));
    await t.receiver.receive({ type: MERGE_QUEUE_PR_JOB, clientKey: t.clientKey, payload: { requestUuid: 'declined' } });
    expect((await t.store.load(t.key))!.entries.find((e) => e.prId === other.pr.id)).toMatchObject({ state: 'dequeued', reason: 'The PR was declined.' });
  });

  it('merge-queue.pullrequest: a payload without a request uuid fails for good', async () => {
    const t = await setup();
    await expect(t.receiver.receive({ type: MERGE_QUEUE_PR_JOB, clientKey: t.clientKey, payload: {} })).rejects.toMatchObject({ retryable: false });
  });
});
