/**
 * CI results in, statuses and Code Insights out: real HTTP into the intake router, the real job
 * queue and store on Bosun's database, the ci.report handler acting as the installation against
 * the sandbox, asserting on what the sandbox ends up showing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyRing, createSecretBox } from '../../server/auth';
import type { CiIntegrationStore } from '../../server/ci';
import { createSqlJobQueue, toJobFailure, type JobQueue } from '../../server/jobs';
import { CI_REPORT_JOB, createCiIntake, createCiReaperHandler, createCiReportHandler } from '../../server/jobs/ci-report-jobs';
import { createLogger } from '../../server/log';
import { createSqlCiIntegrationStore } from '../../server/storage/sql-ci-integration-store';
import { toCiSnippet } from '../../server/create-ci-integration-views';
import { createCiIntakeRouter } from '../../server/web/ci-intake-router';
import { createErrorHandler } from '../../server/web/error-handler';
import { createAppClient } from '../contract/contract-context';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { readCiFixture } from '../server/ci/ci-fixtures';

const WORKSPACE = 'acme';
const REPO = 'web';

describe('CI intake → ci.report → Bitbucket', () => {
  let stack: RunningStack;
  let server: http.Server;
  let baseUrl: string;
  let store: CiIntegrationStore;
  let queue: JobQueue;
  let clock = new Date('2026-12-01T10:00:00Z');
  let handler: ReturnType<typeof createCiReportHandler>;
  let handlerClient: () => Promise<Awaited<ReturnType<typeof createAppClient>>>;
  const fakeJob = () => ({ id: 'reaper-job', clientKey: '', type: 'ci.reap', payload: {}, attempts: 1, maxAttempts: 3, priority: -10, state: 'running' as const, dedupeKey: null, runAt: clock, lockedBy: null, leaseExpiresAt: null, lastError: null, createdAt: clock, updatedAt: clock, result: null });
  const logger = createLogger({ level: 'silent' });

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    const { db, deps } = stack.bosun.services;
    store = createSqlCiIntegrationStore(db, createSecretBox(createKeyRing([{ id: 'ci-test', key: randomBytes(32) }])), () => clock);
    queue = createSqlJobQueue(db, { now: () => clock });
    const app = express();
    app.use(createCiIntakeRouter({ intake: createCiIntake({ integrations: store, queue, tenants: deps.tenants, clientFor: (tenant) => deps.clients.forTenant(tenant), logger, now: () => clock }) }));
    app.use(createErrorHandler(logger));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // No client-side retries: the job's own retry is what is under test.
    const client = await createAppClient(stack, fetch, { retry: { maxRetries: 0 } });
    handlerClient = async () => client;
    handler = createCiReportHandler({ integrations: store, forInstallation: handlerClient, now: () => clock });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stack.close();
  });

  const clientKey = () => stack.installation.clientKey;
  const newCommit = (name: string) =>
    stack.sandbox.actions.pushCommit({ workspace: WORKSPACE, repo: REPO, branch: `ci/${name}-${randomBytes(3).toString('hex')}`, actor: 'bob', message: `Work on ${name}` }).hash;
  const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const statusesOn = (commit: string) => stack.sandbox.state.statuses.filter((s) => s.commitHash === commit);

  /** Claims and runs every due ci.report job once, as the worker would; returns what each did. */
  async function runJobs(): Promise<Array<{ ok: boolean; result?: unknown; error?: string }>> {
    const jobs = await queue.claim('ci-test-worker', { types: [CI_REPORT_JOB], limit: 20, leaseMs: 30_000 });
    const outcomes = [];
    for (const job of jobs) {
      try {
        const result = await handler(job, { signal: new AbortController().signal, logger, heartbeat: async () => {} });
        await queue.complete(job.id, 'ci-test-worker', result);
        outcomes.push({ ok: true, result });
      } catch (error) {
        await queue.fail(job.id, 'ci-test-worker', toJobFailure(error));
        outcomes.push({ ok: false, error: (error as Error).message });
      }
    }
    return outcomes;
  }

  async function integration(provider: 'generic' | 'github-actions' | 'jenkins', repository: string | null = `${WORKSPACE}/${REPO}`) {
    const { integration: created, secret } = await store.create({ clientKey: clientKey(), provider, name: provider, repository, createdBy: '{alice}' });
    return { path: `/ci/${provider}/${created.id}`, secret, id: created.id };
  }

  it('a GitHub Actions workflow run shows on the commit, in progress then failed, keyed ≤ 40', async () => {
    const { path, secret, id } = await integration('github-actions');
    const commit = newCommit('gha');
    for (const file of ['workflow-run-in-progress.json', 'workflow-run-completed-failure.json']) {
      const body = readCiFixture(`github-actions/${file}`).replaceAll('8d3f1c2b7a6e5d4c3b2a19f8e7d6c5b4a3928170', commit);
      const res = await post(path, body, { 'x-github-event': 'workflow_run', 'x-hub-signature-256': sign(secret, body) });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ accepted: true, commit, repository: 'acme/web' });
      expect(await runJobs()).toEqual([expect.objectContaining({ ok: true })]);
    }
    const [status] = statusesOn(commit);
    expect(statusesOn(commit)).toHaveLength(1);
    expect(status).toMatchObject({ state: 'FAILED', name: 'CI', url: 'https://github.com/acme/widgets/actions/runs/7132451290', refname: 'feature/login' });
    expect(status!.key.length).toBeLessThanOrEqual(40);
    expect((await store.listDeliveries(clientKey(), id, 10)).map((d) => d.outcome)).toEqual(['accepted', 'accepted']);
  });

  it("the GitHub Actions snippet's copy-paste step posts the generic format to an address its integration takes; other providers' paths stay refused", async () => {
    const { path, secret, id } = await integration('github-actions');
    const snippet = toCiSnippet('github-actions', `${baseUrl}${path}`, secret);
    const stepUrl = /curl -fsS -X POST '([^']+)'/.exec(snippet)?.[1];
    expect(stepUrl).toBe(`${baseUrl}/ci/generic/${id}`);
    expect(snippet).toContain('X-Bosun-Signature: sha256=$SIG');
    const commit = newCommit('gha-step');
    const body = JSON.stringify({ version: 1, commit, branch: 'feature/login', check: 'CI/test', state: 'failure', url: 'https://github.com/acme/widgets/actions/runs/1', run: { number: 4, attempt: 1 } });
    const res = await fetch(stepUrl!, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-bosun-signature': sign(secret, body) } });
    expect(res.status).toBe(202);
    expect(await runJobs()).toEqual([expect.objectContaining({ ok: true })]);
    expect(statusesOn(commit)).toEqual([expect.objectContaining({ state: 'FAILED', refname: 'feature/login', url: 'https://github.com/acme/widgets/actions/runs/1' })]);
    // Signed with another secret it is still refused, and a provider that is not the integration's is unknown.
    expect((await post(`/ci/generic/${id}`, body, { 'x-bosun-signature': sign('not-the-secret', body) })).status).toBe(401);
    expect((await post(`/ci/jenkins/${id}`, body, { authorization: `Bearer ${secret}` })).status).toBe(404);
    expect(await runJobs()).toEqual([]);
  });

  it('a Jenkins build: a late STARTED after COMPLETED never turns it back to in progress, FINALIZED is a duplicate', async () => {
    const { path, secret } = await integration('jenkins');
    const commit = newCommit('jenkins');
    const deliver = async (file: string) => {
      const body = readCiFixture(`jenkins/${file}`).replaceAll('8d3f1c2b7a6e5d4c3b2a19f8e7d6c5b4a3928170', commit);
      expect((await post(path, body, { authorization: `Bearer ${secret}` })).status).toBe(202);
    };
    const outcomes = [];
    for (const file of ['completed-unstable.json', 'started.json', 'finalized-unstable.json']) {
      await deliver(file);
      outcomes.push(...(await runJobs()));
    }
    expect(outcomes.map((o) => (o.result as { kind: string }).kind)).toEqual(['reported', 'stale', 'duplicate']);
    expect(statusesOn(commit)).toEqual([expect.objectContaining({ state: 'FAILED', description: 'Unstable: the build ran but tests failed' })]);
  });

  it('JUnit failures from the generic format show as Code Insights annotations on the commit', async () => {
    const { path, secret } = await integration('generic');
    const commit = newCommit('junit');
    const payload = JSON.parse(readCiFixture('generic/failure-with-junit.json')) as Record<string, unknown>;
    const body = JSON.stringify({ ...payload, commit, repository: undefined });
    const res = await post(path, body, { 'x-bosun-signature': sign(secret, body) });
    expect(res.status).toBe(202);
    expect(await runJobs()).toEqual([expect.objectContaining({ ok: true })]);
    const reports = stack.sandbox.state.reports.filter((r) => r.commitHash === commit);
    expect(reports.map((r) => [r.reportType, r.result])).toEqual([['TEST', 'FAILED'], ['BUG', 'FAILED']]);
    const tests = reports.find((r) => r.reportType === 'TEST');
    expect(tests?.annotations.map((a) => [a.path, a.line, a.severity])).toEqual([
      ['src/login.test.ts', 21, 'HIGH'],
      [null, null, 'HIGH'],
      [null, null, 'HIGH'],
    ]);
    expect(statusesOn(commit)).toEqual([expect.objectContaining({ key: 'ci-unit-tests', state: 'FAILED', refname: 'feature/login' })]);
  });

  it('a Bitbucket 503 while reporting delays the status; the retried job posts it', async () => {
    const { path, secret } = await integration('generic');
    const commit = newCommit('outage');
    const body = JSON.stringify({ version: 1, commit, check: 'deploy', state: 'success', url: 'https://ci.acme.test/deploy/7' });
    expect((await post(path, body, { 'x-bosun-signature': sign(secret, body) })).status).toBe(202);
    const fault = stack.sandbox.faults.add({ method: 'POST', pathPattern: `/2.0/repositories/acme/web/commit/${commit}/statuses/build`, status: 503 });
    const first = await runJobs();
    expect(first).toEqual([expect.objectContaining({ ok: false })]);
    expect(statusesOn(commit)).toEqual([]);
    stack.sandbox.faults.remove(fault.id);
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect(await runJobs()).toEqual([expect.objectContaining({ ok: true })]);
    expect(statusesOn(commit)).toEqual([expect.objectContaining({ key: 'ci-deploy', state: 'SUCCESSFUL' })]);
  });

  it('refuses a bad signature with 401, a malformed body or unknown commit with 4xx naming it, and queues nothing', async () => {
    const { path, secret, id } = await integration('generic');
    const commit = newCommit('refused');
    const good = JSON.stringify({ version: 1, commit, check: 'lint', state: 'running', url: 'https://ci.acme.test/lint/1' });
    const unsigned = await post(path, good, {});
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'CI_SIGNATURE_INVALID', message: expect.stringMatching(/X-Bosun-Signature/) } });
    expect((await post(path, good, { 'x-bosun-signature': sign('not-the-secret', good) })).status).toBe(401);

    const badState = JSON.stringify({ version: 1, commit, check: 'lint', state: 'green', url: 'https://ci.acme.test/lint/1' });
    const malformed = await post(path, badState, { 'x-bosun-signature': sign(secret, badState) });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.message).toMatch(/state/);

    const notJson = 'not json';
    expect((await post(path, notJson, { 'x-bosun-signature': sign(secret, notJson) })).status).toBe(400);

    const ghost = JSON.stringify({ version: 1, commit: 'f'.repeat(40), check: 'lint', state: 'running', url: 'https://ci.acme.test/lint/1' });
    const unknown = await post(path, ghost, { 'x-bosun-signature': sign(secret, ghost) });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).error.message).toMatch(/Unknown commit f{40} in acme\/web/);

    const { path: unpinned, secret: unpinnedSecret } = await integration('generic', null);
    const elsewhere = JSON.stringify({ version: 1, repository: 'acme/no-such-repo', commit, check: 'lint', state: 'running', url: 'https://ci.acme.test/lint/1' });
    const noRepo = await post(unpinned, elsewhere, { 'x-bosun-signature': sign(unpinnedSecret, elsewhere) });
    expect(noRepo.status).toBe(422);
    expect((await noRepo.json()).error.message).toMatch(/Unknown repository acme\/no-such-repo/);

    const brokenJunit = JSON.stringify({ version: 1, commit, check: 'lint', state: 'failure', url: 'https://ci.acme.test/lint/1', junit: '<testsuites>' });
    expect((await post(path, brokenJunit, { 'x-bosun-signature': sign(secret, brokenJunit) })).status).toBe(400);

    expect((await post(`/ci/jenkins/${id}`, good, { 'x-bosun-signature': sign(secret, good) })).status).toBe(404);
    expect((await post('/ci/travis/ci_abcdefghijkl', good, {})).status).toBe(404);

    expect(await runJobs()).toEqual([]);
    expect(statusesOn(commit)).toEqual([]);
    const log = await store.listDeliveries(clientKey(), id, 20);
    expect(log.every((d) => d.outcome === 'rejected')).toBe(true);
    expect(log.map((d) => d.reason).join('\n')).toMatch(/does not match/);
  });

  it('the reaper (injected clock) stops a build left INPROGRESS past its limit, and a later result still replaces it', async () => {
    const { path, secret } = await integration('generic');
    const commit = newCommit('reaper');
    const send = async (state: string, occurredAt: string) => {
      const body = JSON.stringify({ version: 1, commit, check: 'nightly', state, url: 'https://ci.acme.test/nightly/3', occurredAt, run: { number: 3, attempt: 1 } });
      expect((await post(path, body, { 'x-bosun-signature': sign(secret, body) })).status).toBe(202);
      await runJobs();
    };
    await send('running', clock.toISOString());
    const reaper = createCiReaperHandler({ integrations: store, forInstallation: handlerClient, now: () => clock, maxAgeMs: 60 * 60 * 1000 });
    const reap = () => reaper({ ...fakeJob(), clientKey: clientKey() }, { signal: new AbortController().signal, logger, heartbeat: async () => {} });
    clock = new Date(clock.getTime() + 59 * 60 * 1000);
    expect(await reap()).toEqual({ reaped: 0 });
    expect(statusesOn(commit)).toEqual([expect.objectContaining({ state: 'INPROGRESS' })]);
    clock = new Date(clock.getTime() + 2 * 60 * 1000);
    expect(await reap()).toEqual({ reaped: 1 });
    expect(statusesOn(commit)).toEqual([expect.objectContaining({ state: 'STOPPED', description: expect.stringMatching(/no result from the CI for over 60 minutes/) })]);
    expect(await reap()).toEqual({ reaped: 0 });
    await send('success', clock.toISOString());
    expect(statusesOn(commit)).toEqual([expect.objectContaining({ state: 'SUCCESSFUL' })]);
  });

  it('acknowledges a GitHub ping without queueing anything', async () => {
    const { path, secret } = await integration('github-actions');
    const body = readCiFixture('github-actions/ping.json');
    const res = await post(path, body, { 'x-github-event': 'ping', 'x-hub-signature-256': sign(secret, body) });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: false });
    expect(await runJobs()).toEqual([]);
  });
});
