import { describe, expect, it } from 'vitest';
import { createExecutor, createMemoryAuditStore, createMemoryExecutionStore, createToolCatalog, type AutoMerge, type ClientResolver } from '../../server/agent';
import type { PullRequest } from '../../server/bitbucket';
import { createMergeQueueServices, QueueConfigurationError, toQueueNoticeText } from '../../server/create-merge-queue-services';
import type { InstallationClientFactory, Tenant, TenantStore } from '../../server/host';
import { createMemoryJobQueue } from '../../server/jobs';
import type { WebhookDeliveryStore } from '../../server/jobs/webhook-delivery-store';
import { createLogger } from '../../server/log';
import { createMemoryMergeQueueStore, createQueueState } from '../../server/merge-queue';
import { createMemoryPolicyStore } from '../../server/policies';

const REPO_UUID = '{00000000-0000-4000-8000-000000000001}';
const tenant = { clientKey: 'ck', workspaceSlug: 'acme', workspaceUuid: null } as unknown as Tenant;

function setup() {
  const policies = createMemoryPolicyStore();
  const store = createMemoryMergeQueueStore();
  const audit = createMemoryAuditStore();
  const logger = createLogger({ level: 'silent' });
  let t = Date.parse('2026-12-01T10:00:00.000Z');
  const now = () => new Date((t += 1));
  const executor = createExecutor({ tools: createToolCatalog([]), clients: {} as ClientResolver, audit, executions: createMemoryExecutionStore(), logger, now, installationScopes: [] });
  const queue = createMemoryJobQueue({ now: () => new Date() });
  const services = createMergeQueueServices({
    store, policies, now, logger, executor: () => executor,
    queue,
    tenants: { getWithSecret: async () => null } as unknown as TenantStore,
    deliveries: { getByRequestUuid: async () => null } as unknown as WebhookDeliveryStore,
    clients: {} as InstallationClientFactory,
  });
  const pr = (branch: string) => ({ id: 4, destination: { branch: { name: branch }, repository: { uuid: REPO_UUID, full_name: 'acme/web' } } }) as unknown as PullRequest;
  const route = (branch: string) => services.mergeRoute({ tenant: { clientKey: 'ck', workspace: 'acme' }, repo: 'web', autoMerge: { repositoryUuid: REPO_UUID } as AutoMerge, pullRequest: pr(branch) });
  return { policies, store, services, route, audit, queue };
}

describe('the merge route: the policy "merge via queue" (mergeQueue.branches)', () => {
  it('is direct by default, queue for the branches the workspace policy names (globs)', async () => {
    const { policies, route } = setup();
    expect(await route('main')).toBe('direct');
    await policies.save('ck', 'workspace', { mergeQueue: { branches: ['main', 'release/*'] } }, 'admin', 0);
    expect(await route('main')).toBe('queue');
    expect(await route('release/2.0')).toBe('queue');
    expect(await route('develop')).toBe('direct');
  });

  it("a repository's own layer replaces the workspace's branches", async () => {
    const { policies, route } = setup();
    await policies.save('ck', 'workspace', { mergeQueue: { branches: ['main'] } }, 'admin', 0);
    await policies.save('ck', REPO_UUID, { mergeQueue: { branches: [] } }, 'admin', 0);
    expect(await route('main')).toBe('direct');
  });

  it('an invalid layer is ignored whole (merged directly), never half-applied', async () => {
    const { policies, route } = setup();
    await policies.save('ck', 'workspace', { mergeQueue: { branches: ['main'], typo: true } } as never, 'admin', 0);
    expect(await route('main')).toBe('direct');
  });
});

describe('who may queue in a lane ahead of the default (policy mergeQueue.lanes)', () => {
  const ada = '{00000000-0000-4000-8000-00000000000a}';
  const bob = '{00000000-0000-4000-8000-00000000000b}';
  it('the people and groups the policy names for the lane, nobody else', async () => {
    const { policies, services } = setup();
    const may = (userUuid: string, lane = 'hotfix') => services.port.mayUseLane({ clientKey: 'ck', repositoryUuid: REPO_UUID, lane, userUuid });
    expect(await may(ada)).toBe(false);
    await policies.save('ck', 'workspace', { groups: { oncall: [bob] }, mergeQueue: { lanes: { hotfix: [ada], urgent: ['group:oncall'] } } }, 'admin', 0);
    expect(await may(ada)).toBe(true);
    expect(await may(bob)).toBe(false);
    expect(await may(bob, 'urgent')).toBe(true);
    expect(await may(ada, 'urgent')).toBe(false);
  });
});

describe('queue settings from admin settings', () => {
  it('configure refuses a repository of another workspace, and saves settings for its own', async () => {
    const { services, store } = setup();
    await expect(services.views.configure(tenant, { repository: 'other/web', branch: 'main', settings: { frozen: true } }, 'admin')).rejects.toBeInstanceOf(QueueConfigurationError);
    expect(await store.listForTenant('ck')).toEqual([]);
    const saved = await services.views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true, lanes: ['urgent', 'default'], batchSize: 3 } }, 'admin');
    expect(saved.freeze.frozen).toBe(true);
    expect(saved.settings).toMatchObject({ lanes: ['urgent', 'default'], batchSize: 3 });
    expect((await services.views.listForAdmin(tenant)).queues.map((q) => q.branch)).toEqual(['main']);
  });

  it('every change (freeze, unfreeze, pause, lanes, batching) is an audit entry by the admin, through the executor; a refused one none', async () => {
    const { services, audit } = setup();
    const admin = '{00000000-0000-4000-8000-0000000000ad}';
    await expect(services.views.configure(tenant, { repository: 'other/web', branch: 'main', settings: { frozen: true } }, admin)).rejects.toBeInstanceOf(QueueConfigurationError);
    const change = (settings: Record<string, unknown>) => services.views.configure(tenant, { repository: 'acme/web', branch: 'main', settings }, admin);
    await change({ frozen: true });
    await change({ frozen: false });
    await change({ paused: true });
    await change({ lanes: ['hotfix', 'default'], batchSize: 4, depth: 3 });
    const entries = (await audit.list('ck', {})).entries.reverse();
    expect(entries.map((e) => e.message)).toEqual([
      'Froze main of acme/web.',
      'Unfroze main of acme/web.',
      'Paused the main queue of acme/web.',
      'Set the main queue of acme/web to lanes hotfix, default, batch size 4, speculation depth 3.',
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({ tools: ['mergeQueue.configure'], outcome: 'succeeded', actor: { kind: 'user', userUuid: admin }, trigger: { kind: 'admin-settings', ref: 'acme/web:main' } });
    }
    expect(new Set(entries.map((e) => e.idempotencyKey)).size).toBe(4);
  });
});

describe('the sticky comment for what the queue did', () => {
  const key = { clientKey: 'ck', repository: 'acme/web', branch: 'main' };
  it('says where a PR was queued, why it was ejected, and that it merged', () => {
    expect(toQueueNoticeText(key, { type: 'notify', prId: 4, kind: 'queued', reason: null }, 2)).toContain('Queued at position 2');
    const ejected = toQueueNoticeText(key, { type: 'notify', prId: 4, kind: 'ejected', reason: 'tests fail with a and b together' }, null);
    expect(ejected).toContain('Taken out of the queue: tests fail with a and b together');
    expect(ejected).toContain('/bosun queue');
    expect(toQueueNoticeText(key, { type: 'notify', prId: 4, kind: 'merged', reason: null }, null)).toContain('Merged by the queue');
  });
});

describe('the port: a step that may have run before', () => {
  it('re-arms the CI watch of a batch left testing (its first run may have died before queueing it); a first run does not', async () => {
    const { store, services, queue } = setup();
    const key = { clientKey: 'ck', repository: 'acme/web', branch: 'main' };
    const state = createQueueState(key);
    state.entries.push({ prId: 4, lane: 'default', seq: 1, enqueuedAt: '2026-12-01T10:00:00.000Z', enqueuedBy: 'ada', sourceCommit: 's4', state: 'batched', batchId: 'b1', endedAt: null, reason: null });
    state.batches.push({ id: 'b1', prIds: [4], parentId: null, state: 'testing', commit: 'c1', retry: false, bisect: false, createdAt: '2026-12-01T10:00:00.000Z', endedAt: null, reason: null, decisionId: null });
    state.nextSeq = 2;
    state.nextBatch = 2;
    expect(await store.save({ ...state, version: 1 }, 0)).toBe(true);
    const watches = async () => (await queue.list('ck', { limit: 50 })).filter((j) => j.type === 'merge-queue.ci').map((j) => j.payload);
    await services.port.submit(key, { type: 'tick' });
    expect(await watches()).toEqual([]);
    await services.port.submit(key, { type: 'tick' }, { resume: true });
    expect(await watches()).toEqual([{ repository: 'acme/web', branch: 'main', batchId: 'b1', commit: 'c1', polls: 0 }]);
  });
});
