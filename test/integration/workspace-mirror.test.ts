import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { createPeriodAlignedClock } from '../helpers/period-aligned-clock';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';

/** Issue 10 end to end: the scheduler syncs a fresh install, the views answer from the mirror, webhooks keep it fresh. */
describe.each(testDatabaseKinds())('workspace mirror in the running app (%s)', (kind) => {
  let stack: RunningStack;
  let clock: ReturnType<typeof createPeriodAlignedClock>;
  let installPeriod: number;
  beforeAll(async () => {
    // Bosun's clock starts just past the start of a sync period (mirror.sync runs every minute), so the
    // install and the first test's ticks fall in the period the install began.
    clock = createPeriodAlignedClock(60_000);
    installPeriod = clock.periodKey();
    stack = await startStack({ database: kind, worker: false, now: clock.now });
  });
  afterAll(async () => stack.close());

  const credential = () => `app:${stack.installation.clientKey}`;
  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  /** Ticks the scheduler and runs what it enqueued; answers how many mirror jobs that tick created. */
  const runScheduled = async () => {
    const mirrorJobs = () => stack.bosun.services.db.models.Job.count({ where: { clientKey: stack.installation.clientKey, type: ['mirror.sync', 'mirror.sweep'] } });
    const before = await mirrorJobs();
    await stack.bosun.services.scheduler.tick();
    await stack.bosun.services.automation.createWorker().drain();
    return (await mirrorJobs()) - before;
  };

  it('a fresh install is synced by the scheduled job, charged to the sync lane, with its progress stored', async () => {
    stack.sandbox.requests.reset();
    // The install queued this period's sync under the scheduler's own key, so the tick in the same period
    // adds only the sweep (one sync per period, whoever queued it).
    const installed = await stack.bosun.services.db.models.Job.findAll({ where: { clientKey: stack.installation.clientKey, type: 'mirror.sync' }, raw: true });
    expect(installed.map((j) => j.dedupeKey)).toEqual([`schedule:mirror.sync:${installPeriod}`]);
    expect(await runScheduled()).toBe(1);
    // Once per period: a second tick in the same period adds nothing.
    expect(await runScheduled()).toBe(0);
    expect(clock.periodKey(), 'the test ran past the period its clock was aligned to').toBe(installPeriod);
    const { db } = stack.bosun.services;
    const progress = await db.models.MirrorSyncProgress.findByPk(stack.installation.clientKey);
    expect(progress).toMatchObject({ state: 'done', repositoriesTotal: 3, repositoriesDone: 3 });
    const usage = await db.models.BudgetUsage.findAll({ where: { clientKey: stack.installation.clientKey }, raw: true });
    // The initial sync: 1 repository page + 1 pull request list per repository. (The sweep job of the same
    // period may run after it and spend its own requests, under its own purpose.)
    expect(usage.filter((r) => r.purpose === 'mirror.sync').reduce((sum, r) => sum + r.count, 0)).toBe(4);
    // Every request Bitbucket saw was charged to the budget, all in the sync lane.
    expect(usage.reduce((sum, r) => sum + r.count, 0)).toBe(stack.sandbox.requests.get(credential()).total);
    expect(new Set(usage.map((r) => r.lane))).toEqual(new Set(['sync']));
  });

  it('the dashboard answers from the mirror without a Bitbucket call and says so', async () => {
    stack.sandbox.requests.reset();
    const res = await callApi(stack, sessionFor(stack, 'bob', 'repo-dashboard'), 'GET', `/api/repo-dashboard?repoUuid=${encodeURIComponent(web().uuid)}`);
    expect(res.status).toBe(200);
    expect(res.json.freshness.source).toBe('mirror');
    expect(res.json.pullRequests.length).toBe(stack.sandbox.state.pullRequests.filter((p) => p.repoUuid === web().uuid && p.state === 'OPEN').length);
    expect(stack.sandbox.requests.get(credential()).total).toBe(0);
  });

  it('the panel reads live once (statuses not listed yet), then from the mirror; a webhook keeps it fresh', async () => {
    const session = sessionFor(stack, 'bob', 'pr-panel');
    const panel = () => callApi(stack, session, 'GET', `/api/pr-panel?repoUuid=${encodeURIComponent(web().uuid)}&prId=2`);
    // Scheduled jobs of the first test (sweep, status backfill) may already have listed PR 2's statuses:
    // a PR the mirror does not know is the case this test is about, so it starts from that.
    const { MirrorPullRequest, MirrorCommitStatus } = stack.bosun.services.db.models;
    await MirrorPullRequest.destroy({ where: { clientKey: stack.installation.clientKey, repositoryUuid: web().uuid, id: 2 } });
    await MirrorCommitStatus.destroy({ where: { clientKey: stack.installation.clientKey, repositoryUuid: web().uuid } });
    stack.sandbox.requests.reset();
    expect((await panel()).json.freshness.source).toBe('live');
    expect(stack.sandbox.requests.get(credential()).total).toBe(2);
    const warm = await panel();
    expect(warm.json.freshness.source).toBe('mirror');
    expect(stack.sandbox.requests.get(credential()).total).toBe(2);
    const approvalsBefore = warm.json.approvals as number;

    stack.sandbox.actions.approve({ workspace: 'acme', repo: 'web', id: 2 }, 'dave');
    await stack.sandbox.idle();
    const after = await panel();
    expect(after.json.freshness.source).toBe('mirror');
    expect(after.json.approvals).toBe(approvalsBefore + 1);
    expect(stack.sandbox.requests.get(credential()).total).toBe(2);
    // fresh=1 (after the viewer's own change) reads Bitbucket.
    expect((await callApi(stack, session, 'GET', `/api/pr-panel?repoUuid=${encodeURIComponent(web().uuid)}&prId=2&fresh=1`)).json.freshness.source).toBe('live');
  });

  it('/metrics reports the queue, jobs by state, the budget left per credential and the mirror\'s staleness', async () => {
    // The views above may queue an on-demand facts fetch for the repository (mirror.facts): let it run first.
    await stack.bosun.services.automation.createWorker().drain();
    const res = await fetch(`${stack.bosun.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const value = (name: string, labels = '') => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    };
    const tenant = stack.installation.clientKey;
    const spent = stack.sandbox.requests.get(credential()).total;
    expect(value('bosun_budget_remaining', `tenant="${tenant}",credential="installation"`)).toBeLessThanOrEqual(1000 - 4);
    expect(spent).toBeGreaterThan(0);
    expect(value('bosun_jobs', 'state="succeeded"')).toBeGreaterThanOrEqual(2);
    expect(value('bosun_queue_depth')).toBe(0);
    expect(value('bosun_queue_oldest_job_age_seconds')).toBe(0);
    expect(value('bosun_mirror_staleness_seconds', `tenant="${tenant}"`)).toBeGreaterThanOrEqual(0);
    expect(value('bosun_mirror_sync_repositories', `tenant="${tenant}",of="done"`)).toBe(3);
    expect(text).toContain('bosun_webhook_lag_seconds');
    expect(text).not.toContain('sharedSecret');
  });

  it('admin settings show the budget per credential, what used it, and the sync progress', async () => {
    const res = await callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), 'GET', '/api/admin-settings');
    expect(res.status).toBe(200);
    expect(res.json.mirror.sync).toMatchObject({ state: 'done', repositoriesDone: 3, repositoriesTotal: 3 });
    const installation = res.json.mirror.budget.find((c: { credential: string }) => c.credential === 'installation');
    expect(installation.limit).toBe(1000);
    expect(installation.used).toBeGreaterThanOrEqual(4);
    expect(installation.remaining).toBe(1000 - installation.used);
    expect(installation.byPurpose).toEqual(expect.arrayContaining([expect.objectContaining({ purpose: 'mirror.sync', lane: 'sync', count: 4 })]));
  });
});
