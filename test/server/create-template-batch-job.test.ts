import { describe, expect, it } from 'vitest';
import { createMemoryBudgetStore, createRateBudget } from '../../server/budget';
import { createTemplateBatchJob, enqueueTemplateBatch, loadTemplateBatch, TEMPLATE_BATCH_JOB, TEMPLATE_BATCH_TRIGGER } from '../../server/create-template-batch-job';
import type { Tenant } from '../../server/host';
import { AGENT_EXECUTE_JOB, createMemoryJobQueue, createReceiver, type Job } from '../../server/jobs';
import { createMemoryRepositoryTemplateStore } from '../../server/policies/memory-repository-template-store';
import { estimateApplyCost, SETTINGS_READ_REQUESTS } from '../../server/policies/repository-template-apply-cost';
import { repositoryTemplateSchema } from '../../server/policies/repository-template';

const CLIENT_KEY = 'ari:cloud:bitbucket::app/{ws}/bosun';
const tenant = { clientKey: CLIENT_KEY, workspaceSlug: 'acme', workspaceUuid: '{ws}' } as Tenant;
const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, child: () => quiet } as never;
// isPrivate only: 7 reads + 1 write per repository.
const template = repositoryTemplateSchema.parse({ name: 'service', settings: { isPrivate: true } });
const REPOS = ['svc-a', 'svc-b', 'svc-c'];

function setup() {
  let now = new Date('2026-12-01T10:00:30Z');
  const clock = () => now;
  const queue = createMemoryJobQueue({ now: clock });
  const store = createMemoryBudgetStore();
  const budget = createRateBudget({ store, now: clock });
  const templates = createMemoryRepositoryTemplateStore(clock);
  const job = createTemplateBatchJob({ queue, budget: { store, policy: budget.policy }, templates, tenants: { get: async (key) => (key === CLIENT_KEY ? tenant : null) }, now: clock, logger: quiet });
  const receiver = createReceiver(job.handlers, { logger: quiet, now: clock });
  /** Claims the due batch run, feeds it to the handler through receive() and completes it with the result, as the worker does. */
  const runDue = async (): Promise<Job | null> => {
    const [claimed] = await queue.claim('w', { types: [TEMPLATE_BATCH_JOB], limit: 1, leaseMs: 60_000 });
    if (!claimed) return null;
    const result = await receiver.receive({ type: claimed.type, clientKey: claimed.clientKey, payload: claimed.payload, id: claimed.id });
    await queue.complete(claimed.id, 'w', result);
    return queue.get(CLIENT_KEY, claimed.id);
  };
  return { queue, budget, templates, runDue, advance: (ms: number) => (now = new Date(now.getTime() + ms)), at: () => now };
}

const batchPayload = { template: 'service', repos: REPOS, batchKey: 'batch-0001', actor: { userUuid: '{alice}', accountId: null }, from: 0 };

describe('bulk template apply charged to the rate budget', () => {
  it('estimates a repository from its last check when it has one, else from every managed setting', () => {
    expect(estimateApplyCost(template, null)).toBe(SETTINGS_READ_REQUESTS + 1);
    const binding = { fullName: 'acme/svc-a', template: 'service', status: 'in-sync' as const, applied: [], pending: [], error: null, checkedAt: new Date() };
    expect(estimateApplyCost(template, binding)).toBe(SETTINGS_READ_REQUESTS);
    const wide = repositoryTemplateSchema.parse({
      name: 'wide',
      settings: { isPrivate: true, mainBranch: 'main', pipelinesEnabled: true, branchRestrictions: [{ kind: 'push', pattern: 'main' }, { kind: 'delete', pattern: 'main' }], webhooks: [{ description: 'CI', url: 'https://ci.example.com/h', events: ['repo:push'] }] },
    });
    expect(estimateApplyCost(wide, binding)).toBe(SETTINGS_READ_REQUESTS + 3 + 2 + 1);
  });

  it('releases every repository when the automation lane has room, counting nothing itself (the applies count their requests)', async () => {
    const { queue, budget, templates, runDue } = setup();
    await templates.save(CLIENT_KEY, template, '{alice}', 0);
    const first = await enqueueTemplateBatch(queue, CLIENT_KEY, batchPayload);
    // Asked again (a double click), the same batch.
    expect((await enqueueTemplateBatch(queue, CLIENT_KEY, batchPayload)).id).toBe(first.id);
    const done = await runDue();
    expect(done?.result).toMatchObject({ next: null, pausedUntil: null, released: REPOS.map((repo) => ({ repo })) });
    const applies = await queue.list(CLIENT_KEY, { type: AGENT_EXECUTE_JOB, limit: 10 });
    expect(applies).toHaveLength(3);
    // Their trigger puts their requests in the automation lane (create-automation's laneOf).
    expect(applies.map((j) => (j.payload as { trigger: { kind: string } }).trigger.kind)).toEqual([TEMPLATE_BATCH_TRIGGER, TEMPLATE_BATCH_TRIGGER, TEMPLATE_BATCH_TRIGGER]);
    expect((await budget.load(CLIENT_KEY)).credentials).toEqual([]);
    const batch = await loadTemplateBatch(queue, CLIENT_KEY, first.id);
    expect([...batch!.released.keys()]).toEqual(REPOS);
  });

  it('pauses when the budget is low, says until when, and resumes by itself once the hour has room', async () => {
    const { queue, budget, templates, runDue, advance, at } = setup();
    await templates.save(CLIENT_KEY, template, '{alice}', 0);
    // People spent 880 of the hour: 120 left; automation keeps 100 for people, so two repositories (8 each) fit
    // in this run (what it released counts against the room even before those applies spend it).
    await budget.trySpend({ clientKey: CLIENT_KEY, credential: 'installation', lane: 'people', purpose: 'panel', cost: 880 });
    const first = await enqueueTemplateBatch(queue, CLIENT_KEY, batchPayload);
    const paused = await runDue();
    const result = paused!.result as { released: Array<{ repo: string }>; next: string; pausedUntil: string; reason: string };
    expect(result.released.map((r) => r.repo)).toEqual(['svc-a', 'svc-b']);
    expect(result.reason).toBe('low-budget');
    // The people's requests leave the rolling hour at the end of their minute plus an hour.
    expect(result.pausedUntil).toBe('2026-12-01T11:01:00.000Z');
    const next = await queue.get(CLIENT_KEY, result.next);
    expect(next).toMatchObject({ state: 'queued', runAt: new Date(result.pausedUntil), payload: { from: 2 } });

    const waiting = await loadTemplateBatch(queue, CLIENT_KEY, first.id);
    expect(waiting).toMatchObject({ pausedUntil: result.pausedUntil, reason: 'low-budget' });
    expect([...waiting!.released.keys()]).toEqual(['svc-a', 'svc-b']);
    // Not due yet: nothing runs before the budget has room.
    expect(await runDue()).toBeNull();

    advance(new Date(result.pausedUntil).getTime() - at().getTime() + 1000);
    const resumed = await runDue();
    expect(resumed?.result).toMatchObject({ released: [{ repo: 'svc-c' }], next: null, pausedUntil: null });
    const finished = await loadTemplateBatch(queue, CLIENT_KEY, first.id);
    expect(finished).toMatchObject({ pausedUntil: null, reason: null });
    expect([...finished!.released.keys()]).toEqual(REPOS);
    expect(await queue.list(CLIENT_KEY, { type: AGENT_EXECUTE_JOB, limit: 10 })).toHaveLength(3);
  });

  it('weighs an apply once while it runs: its requests made during the run are not counted again as usage', async () => {
    const { queue, budget, templates, runDue } = setup();
    await templates.save(CLIENT_KEY, template, '{alice}', 0);
    await budget.trySpend({ clientKey: CLIENT_KEY, credential: 'installation', lane: 'people', purpose: 'panel', cost: 880 });
    // A worker runs each apply as soon as it is released: its 8 requests are counted before the batch weighs the next one.
    const enqueue = queue.enqueue.bind(queue);
    queue.enqueue = async (input) => {
      const out = await enqueue(input);
      if (input.type === AGENT_EXECUTE_JOB) await budget.trySpend({ clientKey: CLIENT_KEY, credential: 'installation', lane: 'automation', purpose: TEMPLATE_BATCH_TRIGGER, cost: estimateApplyCost(template, null) });
      return out;
    };
    await enqueueTemplateBatch(queue, CLIENT_KEY, batchPayload);
    const run = await runDue();
    // Room for 20 past the people's reserve: two applies of 8, as when nothing had spent yet (counted twice, only one fits).
    expect((run!.result as { released: Array<{ repo: string }> }).released.map((r) => r.repo)).toEqual(['svc-a', 'svc-b']);
  });

  it('a 429 pauses the batch until Retry-After', async () => {
    const { queue, budget, templates, runDue, at } = setup();
    await templates.save(CLIENT_KEY, template, '{alice}', 0);
    const until = await budget.reportRateLimited({ clientKey: CLIENT_KEY, credential: 'installation', retryAfterSeconds: 120 });
    await enqueueTemplateBatch(queue, CLIENT_KEY, batchPayload);
    const paused = await runDue();
    expect(paused?.result).toMatchObject({ released: [], reason: 'paused', pausedUntil: until.toISOString() });
    expect(until.getTime() - at().getTime()).toBe(120_000);
  });

  it('a template deleted meanwhile ends the batch with the reason and releases nothing', async () => {
    const { queue, runDue } = setup();
    await enqueueTemplateBatch(queue, CLIENT_KEY, batchPayload);
    expect((await runDue())?.result).toMatchObject({ released: [], next: null, reason: 'There is no template called service any more' });
  });
});
