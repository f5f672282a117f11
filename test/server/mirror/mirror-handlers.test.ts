import { afterEach, describe, expect, it } from 'vitest';
import { createBitbucketClient } from '../../../server/bitbucket';
import { createRateBudget, createMemoryBudgetStore } from '../../../server/budget';
import { createWorkspaceMirrorServices, MIRROR_FACTS_JOB, MIRROR_SWEEP_JOB, MIRROR_SYNC_JOB } from '../../../server/create-workspace-views';
import type { InstallationClientFactory, TenantStore, TenantWithSecret } from '../../../server/host';
import { createReceiver, PermanentJobError, type Receiver } from '../../../server/jobs';
import { silentLogger } from '../agent/agent-fakes';
import { toTestTenant } from '../jobs/handlers/handler-harness';
import { type MirrorHarness, startMirrorHarness } from './mirror-harness';

/**
 * The mirror's scheduled jobs (sync, sweep, facts) through `receive()`: the handlers wired at the
 * composition root, on the sandbox as Bitbucket and the harness's database; every request is
 * charged to the installation's sync lane.
 */
describe('mirror jobs through receive()', () => {
  let m: MirrorHarness;
  afterEach(async () => m?.close());

  function setup(opts: { installed?: boolean; syncPerHour?: number } = {}) {
    const tenant: TenantWithSecret = {
      ...toTestTenant(m.clientKey, { baseApiUrl: m.h.url, workspaceUuid: null, workspaceSlug: 'acme' }),
      sharedSecret: m.h.inst.sharedSecret,
    };
    const installed = opts.installed ?? true;
    const tenants: TenantStore = {
      get: async (clientKey) => (installed && clientKey === tenant.clientKey ? tenant : null),
      getWithSecret: async (clientKey) => (installed && clientKey === tenant.clientKey ? tenant : null),
      ensure: async () => { throw new Error('not in these tests'); },
      purge: async () => {},
    };
    const clientsWith = (fetch: typeof globalThis.fetch): InstallationClientFactory => ({
      forTenant: (t) => createBitbucketClient({
        baseApiUrl: t.baseApiUrl,
        auth: { kind: 'connect-jwt', appKey: m.h.inst.key, clientKey: t.clientKey, sharedSecret: t.sharedSecret },
        fetch,
        retry: { maxRetries: 0 },
      }),
    });
    const now = () => m.clock.now;
    const budget = opts.syncPerHour === undefined
      ? m.budget
      : createRateBudget({ store: createMemoryBudgetStore(), now, policy: { limitPerHour: opts.syncPerHour, reserve: { people: 0, automation: 0, sync: 0 }, defaultPauseMs: 60_000 } });
    const services = createWorkspaceMirrorServices({
      store: m.store, tenants, clients: clientsWith(globalThis.fetch), now, logger: silentLogger, budget, clientsWith, fetch: globalThis.fetch,
    });
    const receiver: Receiver = createReceiver(services.handlers, { logger: silentLogger, now });
    const run = (type: string, payload: unknown = {}) => receiver.receive({ type, clientKey: m.clientKey, payload });
    return { run, budget, services };
  }
  const requests = () => m.h.sandbox.requests.get(`app:${m.clientKey}`).total;

  it('mirror.sync: the first run syncs every repository; later runs backfill statuses until none is pending, then say done', async () => {
    m = await startMirrorHarness('sqlite');
    const t = setup();
    expect(await t.run(MIRROR_SYNC_JOB)).toEqual({ repositoriesDone: 3, repositoriesTotal: 3 });
    expect(await m.store.loadProgress(m.clientKey)).toMatchObject({ state: 'done' });
    const pending = (await m.store.loadProgress(m.clientKey))?.statusesPending ?? 0;
    expect(pending).toBeGreaterThan(0);
    // 50 PRs' statuses per run: the sandbox's few take one run, the next finds none missing.
    expect(await t.run(MIRROR_SYNC_JOB)).toEqual({ backfilled: pending });
    const afterBackfill = requests();
    expect(await t.run(MIRROR_SYNC_JOB)).toEqual({ backfilled: 0 });
    expect(requests()).toBe(afterBackfill);
    // The pending count is the sweep's to refresh (the backfill does not): from then on the sync says done.
    await t.run(MIRROR_SWEEP_JOB);
    expect((await m.store.loadProgress(m.clientKey))?.statusesPending).toBe(0);
    expect(await t.run(MIRROR_SYNC_JOB)).toEqual({ done: true });
    // Charged to the installation in the sync lane.
    expect((await m.budget.load(m.clientKey)).credentials[0]?.byLane.sync).toBe(requests());
  });

  it('mirror.sweep waits for the initial sync, then re-lists the repositories’ PRs, the missing statuses and two repositories’ facts', async () => {
    m = await startMirrorHarness('sqlite');
    const t = setup();
    expect(await t.run(MIRROR_SWEEP_JOB)).toEqual({ skipped: 'initial sync not done' });
    expect(requests()).toBe(0);
    await t.run(MIRROR_SYNC_JOB);
    const before = requests();
    // Every repository's PRs again (3), the statuses still missing (5), two repositories' facts.
    expect(await t.run(MIRROR_SWEEP_JOB)).toEqual({ repositories: 3, pullRequests: 3, statuses: 5, facts: 2 });
    expect(requests()).toBeGreaterThan(before);
    expect(await m.store.loadProgress(m.clientKey)).toMatchObject({ statusesPending: 0, lastSweepAt: expect.any(Date) });
  });

  it('mirror.facts lists one repository’s facts once; a payload naming none fails for good', async () => {
    m = await startMirrorHarness('sqlite');
    const t = setup();
    await t.run(MIRROR_SYNC_JOB);
    const repositoryUuid = m.h.sandbox.state.repositories.find((r) => r.slug === 'web')!.uuid;
    expect(await t.run(MIRROR_FACTS_JOB, { repositoryUuid })).toEqual({ listed: repositoryUuid });
    const after = requests();
    expect(await t.run(MIRROR_FACTS_JOB, { repositoryUuid })).toEqual({ skipped: 'facts already listed', repositoryUuid });
    expect(requests()).toBe(after);
    await expect(t.run(MIRROR_FACTS_JOB, {})).rejects.toBeInstanceOf(PermanentJobError);
  });

  it('an uninstalled tenant’s job asks Bitbucket nothing', async () => {
    m = await startMirrorHarness('sqlite');
    const t = setup({ installed: false });
    for (const type of [MIRROR_SYNC_JOB, MIRROR_SWEEP_JOB]) expect(await t.run(type)).toEqual({ skipped: 'uninstalled' });
    expect(requests()).toBe(0);
  });

  it('a sync the budget defers ends quietly, saying when to go on; the sync is left unfinished for the next period', async () => {
    m = await startMirrorHarness('sqlite');
    const t = setup({ syncPerHour: 2 });
    const deferred = await t.run(MIRROR_SYNC_JOB);
    expect(deferred).toEqual({ deferredUntil: expect.any(String), reason: expect.any(String) });
    expect(requests()).toBeLessThanOrEqual(2);
    expect(await m.store.loadProgress(m.clientKey)).not.toMatchObject({ state: 'done' });
  });
});
