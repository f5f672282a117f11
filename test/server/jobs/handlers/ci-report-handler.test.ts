import { describe, expect, it } from 'vitest';
import { ExternalHostError, NotFoundError } from '../../../../server/bitbucket';
import type { CiClient, CiDeliveryRecord, CiIntegrationStore, CiReportPlan, CiStatusUpdate } from '../../../../server/ci';
import type { CiReportedRecord, CiStatusRef } from '../../../../server/ci/ci-integration-store';
import { createReceiver, PermanentJobError } from '../../../../server/jobs';
import { CI_REAPER_JOB, CI_REPORT_JOB, createCiReaperHandler, createCiReportHandler } from '../../../../server/jobs/ci-report-jobs';
import { silentLogger } from '../../agent/agent-fakes';

/**
 * The `ci.report` and `ci.reap` handlers through `receive()`, on an in-memory integration store and a
 * fake installation client: plan in the payload (the intake's), decision by the out-of-order rule,
 * the post as the installation.
 */

const CK = 'ck-ci';
const SHA = 'a'.repeat(40);
const refKey = (r: CiStatusRef) => [r.clientKey, r.repository, r.commit, r.key].join('\n');

/** Only what the handlers use; the rest is the SQL store's (its own tests). */
function createMemoryCiStore() {
  const reported = new Map<string, { ref: CiStatusRef; record: CiReportedRecord }>();
  const deliveries: Array<CiDeliveryRecord & { clientKey: string; integrationId: string }> = [];
  const unused = async (): Promise<never> => {
    throw new Error('not used by the handlers');
  };
  const store: CiIntegrationStore = {
    create: unused, rotate: unused, delete: unused, list: unused, getForIntake: unused,
    async recordDelivery(clientKey, integrationId, record) {
      deliveries.push({ ...record, clientKey, integrationId });
    },
    async listDeliveries(clientKey, integrationId) {
      return deliveries.filter((d) => d.clientKey === clientKey && d.integrationId === integrationId).reverse();
    },
    async getReported(ref) {
      return reported.get(refKey(ref))?.record ?? null;
    },
    async saveReported(ref, record, expected) {
      const current = reported.get(refKey(ref))?.record.reported.fingerprint ?? null;
      if (current !== expected) return false;
      reported.set(refKey(ref), { ref: { clientKey: ref.clientKey, repository: ref.repository, commit: ref.commit, key: ref.key }, record });
      return true;
    },
    async listInProgressBefore(clientKey, before) {
      return [...reported.values()]
        .filter((e) => e.ref.clientKey === clientKey && e.record.status.state === 'INPROGRESS' && e.record.updatedAt < before)
        .map((e) => ({ ...e.ref, ...e.record }));
    },
  };
  return { store, deliveries, reported };
}

type Posted = { repo: string; commit: string; status: CiStatusUpdate };

function createFakeCiClient(opts: { commits?: Record<string, string>; failPosts?: number } = {}) {
  const posted: Posted[] = [];
  const reports: string[] = [];
  let failures = opts.failPosts ?? 0;
  const target = { method: 'POST', path: '/statuses/build' };
  const client = {
    repositories: {},
    commits: {
      async get(_workspace: string, _repo: string, commit: string) {
        const hash = opts.commits?.[commit];
        if (!hash) throw new NotFoundError(`No commit ${commit}`, { method: 'GET', path: '/commit' });
        return { hash };
      },
    },
    statuses: {
      async createBuild(workspace: string, repo: string, commit: string, status: CiStatusUpdate) {
        if (failures > 0) {
          failures -= 1;
          throw new ExternalHostError('Bitbucket answered 503', target, { status: 503, reason: 'status' });
        }
        posted.push({ repo: `${workspace}/${repo}`, commit, status });
        return {};
      },
    },
    reports: {
      async put(_w: string, _r: string, _c: string, reportId: string) {
        reports.push(`put:${reportId}`);
        return {};
      },
      async addAnnotations(_w: string, _r: string, _c: string, reportId: string, batch: unknown[]) {
        reports.push(`annotations:${reportId}:${batch.length}`);
        return [];
      },
    },
  } as unknown as CiClient;
  return { client, posted, reports };
}

const plan = (over: Partial<CiReportPlan> & { state?: CiStatusUpdate['state']; buildState?: CiReportPlan['build']['state']; runNumber?: number } = {}): CiReportPlan => {
  const { state = 'SUCCESSFUL', buildState = 'success', runNumber = 7, ...rest } = over;
  return {
    integrationId: 'int-1',
    workspace: 'acme',
    repoSlug: 'web',
    commit: SHA,
    status: { key: 'ci-build', state, name: 'Build', url: 'https://ci.example/7' },
    build: { provider: 'generic', check: 'build', state: buildState, run: { number: runNumber, attempt: 1 } },
    insights: [],
    ...rest,
  };
};

function setup(clientOpts: Parameters<typeof createFakeCiClient>[0] = {}) {
  let now = new Date('2026-03-01T10:00:00Z');
  const ci = createMemoryCiStore();
  const fake = createFakeCiClient(clientOpts);
  const installations: string[] = [];
  const forInstallation = async (clientKey: string) => {
    installations.push(clientKey);
    return fake.client;
  };
  const clock = () => now;
  const receiver = createReceiver(
    {
      [CI_REPORT_JOB]: createCiReportHandler({ integrations: ci.store, forInstallation, now: clock }),
      [CI_REAPER_JOB]: createCiReaperHandler({ integrations: ci.store, forInstallation, now: clock, maxAgeMs: 60 * 60_000 }),
    },
    { logger: silentLogger, now: clock },
  );
  return { receiver, ci, fake, installations, advance: (ms: number) => void (now = new Date(now.getTime() + ms)) };
}

describe('ci.report through receive()', () => {
  it('posts the planned status as the job’s installation, with its Code Insights report and annotations', async () => {
    const t = setup();
    const withInsights = plan({ insights: [{ reportId: 'junit', report: { title: 'Tests' }, annotationBatches: [[{ external_id: 'a' }, { external_id: 'b' }]] }] });
    const outcome = await t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: withInsights, id: 'job-1' });
    expect(outcome).toEqual({ kind: 'reported', key: 'ci-build', state: 'SUCCESSFUL', reports: 1, superseded: false });
    expect(t.installations).toEqual([CK]);
    expect(t.fake.posted).toEqual([{ repo: 'acme/web', commit: SHA, status: withInsights.status }]);
    expect(t.fake.reports).toEqual(['put:junit', 'annotations:junit:2']);
  });

  it('a second job with the same update posts nothing (duplicate); an older run than the one reported posts nothing (stale)', async () => {
    const t = setup();
    await t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: plan({ runNumber: 8 }), id: 'job-1' });
    expect(await t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: plan({ runNumber: 8 }), id: 'job-2' })).toMatchObject({ kind: 'duplicate' });
    const older = plan({ runNumber: 7, state: 'INPROGRESS', buildState: 'running' });
    expect(await t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: older, id: 'job-3' })).toMatchObject({ kind: 'stale' });
    expect(t.fake.posted).toHaveLength(1);
  });

  it('a post Bitbucket refuses with a 503 is thrown for the worker to retry, and the same job’s retry posts it', async () => {
    const t = setup({ failPosts: 1 });
    await expect(t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: plan(), id: 'job-1' })).rejects.toMatchObject({ retryable: true });
    expect(t.fake.posted).toEqual([]);
    // The decision was saved under this job: its retry is not mistaken for a duplicate.
    expect(await t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: plan(), id: 'job-1' })).toMatchObject({ kind: 'reported' });
    expect(t.fake.posted).toHaveLength(1);
  });

  it('a short hash resolves to the full commit; an unknown one fails for good and lands in the delivery log as rejected', async () => {
    const t = setup({ commits: { abc1234: SHA } });
    await t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: plan({ commit: 'abc1234' }) });
    expect(t.fake.posted.map((p) => p.commit)).toEqual([SHA]);
    await expect(t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: plan({ commit: 'def5678' }) })).rejects.toBeInstanceOf(PermanentJobError);
    expect(t.ci.deliveries).toEqual([expect.objectContaining({ clientKey: CK, integrationId: 'int-1', outcome: 'rejected', commit: 'def5678', statusKey: 'ci-build', repository: 'acme/web' })]);
    expect(t.fake.posted).toHaveLength(1);
  });

  it('a payload that is not a plan fails for good before any client is asked for', async () => {
    const t = setup();
    await expect(t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: { ...plan(), commit: 'not-a-sha' } })).rejects.toBeInstanceOf(PermanentJobError);
    expect(t.installations).toEqual([]);
  });
});

describe('ci.reap through receive()', () => {
  it('an INPROGRESS status unheard of for longer than the limit is posted STOPPED once; a recent one is left', async () => {
    const t = setup();
    await t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: plan({ state: 'INPROGRESS', buildState: 'running' }) });
    t.advance(30 * 60_000);
    await t.receiver.receive({ type: CI_REPORT_JOB, clientKey: CK, payload: { ...plan({ state: 'INPROGRESS', buildState: 'running' }), status: { key: 'ci-lint', state: 'INPROGRESS', name: 'Lint', url: 'https://ci.example/8' } } });
    t.advance(31 * 60_000);
    expect(await t.receiver.receive({ type: CI_REAPER_JOB, clientKey: CK, payload: {} })).toEqual({ reaped: 1 });
    const stopped = t.fake.posted.slice(2);
    expect(stopped).toEqual([expect.objectContaining({ repo: 'acme/web', commit: SHA, status: expect.objectContaining({ key: 'ci-build', state: 'STOPPED' }) })]);
    // Reaped is saved: the next run reaps nothing more for that key.
    expect(await t.receiver.receive({ type: CI_REAPER_JOB, clientKey: CK, payload: {} })).toEqual({ reaped: 0 });
  });
});
