import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../sandbox';
import { createForgeHost, type ForgeHost, type ForgeInstallation } from '../../sandbox/forge/create-forge-host';
import { BOSUN_MARKER_PREFIX } from '../../server/agent/tools/pull-request-comment';
import { FORGE_TOKEN_REFRESH_MS, forgeRoutes } from '../../server/forge';
import { startBosun, type RunningBosun } from '../helpers/start-bosun';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

const WEB_REPO = '{7eb00000-0000-4000-8000-00000000a001}';
const APP_ID = 'ari:cloud:ecosystem::app/5e1f0000-0000-4000-8000-00000000e7e7';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A comment command arriving as a Forge product event runs through the Connect webhook's intake, job and handler, once. */
describe.each(testDatabaseKinds())('Forge product events (%s)', (kind) => {
  let sandbox: Sandbox;
  let sandboxServer: { url: string; close(): Promise<void> };
  let forge: ForgeHost;
  let jwks: { close(): Promise<void> };
  let bosun: RunningBosun;
  let inst: ForgeInstallation;
  beforeAll(async () => {
    sandbox = createSandbox({ publicUrl: 'http://sandbox.test', logger: quiet, webhookRetryDelaysMs: [20] });
    sandboxServer = await sandbox.listen(0);
    let bosunUrl = '';
    forge = await createForgeHost({ state: sandbox.state, actions: sandbox.actions, apiBaseUrl: sandboxServer.url, remoteUrl: () => bosunUrl, now: () => new Date(), appId: APP_ID });
    jwks = await forge.listen(0);
    bosun = await startBosun({ database: kind, env: { BOSUN_FORGE_APP_ID: APP_ID, BOSUN_FORGE_JWKS_URL: forge.jwksUrl, BITBUCKET_SITE_URL: sandboxServer.url } });
    bosunUrl = bosun.url;
    inst = await forge.install({ workspace: 'acme' });
  });
  afterAll(async () => {
    await bosun?.close();
    await jwks?.close();
    await sandbox?.close();
    await sandboxServer?.close();
  });

  const count = async (sql: string, replacements: unknown[]) => {
    const [rows] = await bosun.services.db.sequelize.query(sql, { replacements });
    return Number((rows as Array<{ n: number | string }>)[0]?.n ?? 0);
  };

  it("the first mirror sync, queued by the installed event, runs as the app with the system token that event carried", async () => {
    const { Job } = bosun.services.db.models;
    const syncs = () => Job.findAll({ where: { clientKey: inst.installationId, type: 'mirror.sync' }, raw: true });
    await waitFor(async () => {
      const jobs = await syncs();
      return jobs.length > 0 && jobs.every((j) => j.state !== 'queued' && j.state !== 'running');
    }, 'the first mirror sync to finish', 20_000);
    const [job, ...more] = await syncs();
    expect(more).toEqual([]);
    expect({ state: job?.state, lastError: job?.lastError ?? null }).toEqual({ state: 'succeeded', lastError: null });
  });

  it("between invocations a CI status for the Forge tenant waits for the app token, and the scheduled trigger's token posts it", async () => {
    const { deps, db } = bosun.services;
    const web = sandbox.state.repositories.find((r) => r.uuid === WEB_REPO)!;
    const commit = sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'ci/forge-token', actor: 'bob', message: 'Work' }).hash;
    const { integration, secret } = await deps.ciIntegrations!.create({ clientKey: inst.installationId, provider: 'generic', name: 'ci', repository: 'acme/web', createdBy: 'test' });
    // The token the last invocation brought has expired (Forge's last an hour; nothing has called Bosun since).
    await deps.forge!.tokens.forget(inst.installationId);
    const body = JSON.stringify({ version: 1, commit, check: 'build', state: 'success', url: 'https://ci.acme.test/forge/1' });
    const res = await fetch(`${bosun.url}/ci/generic/${integration.id}`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'x-bosun-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const job = await waitFor(async () => {
      const found = await db.models.Job.findOne({ where: { clientKey: inst.installationId, type: 'ci.report' }, raw: true });
      return found?.lastError ? found : null;
    }, 'the ci.report job to wait for a token');
    // Waiting, not lost: queued again for after the scheduled trigger's interval, nothing posted yet.
    expect(job).toMatchObject({ state: 'queued', attempts: 1, lastError: expect.stringMatching(/^ForgeAppTokenPendingError/) });
    expect(new Date(job.runAt).getTime() - new Date(job.updatedAt).getTime()).toBeGreaterThanOrEqual(FORGE_TOKEN_REFRESH_MS - 1_000);
    expect(sandbox.state.statuses.filter((st) => st.commitHash === commit && st.repoUuid === web.uuid)).toEqual([]);

    const answers = await forge.runScheduledTriggers();
    expect(answers.map((a) => a.status)).toEqual([200]);
    // Five minutes on: the retry finds the scheduled trigger's token.
    await db.models.Job.update({ runAt: new Date() }, { where: { id: job.id } });
    await waitFor(() => sandbox.state.statuses.find((st) => st.commitHash === commit && st.key === 'ci-build'), 'the status on the commit');
    await waitFor(async () => (await db.models.Job.findOne({ where: { id: job.id }, raw: true }))?.state === 'succeeded', 'the job to succeed');
  });

  it('a /bosun help comment, delivered twice (a Forge retry), is stored once, queued once and answered with one sticky comment', async () => {
    const alice = sandbox.state.users.find((u) => u.nickname === 'alice');
    if (!alice) throw new Error('seed user alice is missing');
    const comment = sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 1 }, 'alice', '/bosun help');
    const event = {
      eventType: 'avi:bitbucket:created:pullrequest-comment',
      actor: { type: 'user', uuid: alice.uuid, accountId: alice.accountId },
      workspace: { uuid: inst.workspaceUuid },
      repository: { uuid: WEB_REPO },
      pullrequest: { id: 1 },
      comment: { id: comment.id },
    };
    const first = await forge.callEndpoint(forgeRoutes.events, inst, event);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ outcome: 'stored' });
    const retry = await forge.callEndpoint(forgeRoutes.events, inst, event);
    expect(retry.json).toEqual({ outcome: 'duplicate' });

    expect(await count('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE client_key = ? AND event_key = ?', [inst.installationId, 'pullrequest:comment_created'])).toBe(1);
    // The same job type, and so the same handler, as a Connect comment webhook.
    expect(await count("SELECT COUNT(*) AS n FROM jobs WHERE client_key = ? AND type = 'webhook.comment'", [inst.installationId])).toBe(1);

    const stickies = () => sandbox.state.comments.filter((c) => c.repoUuid === WEB_REPO && c.prId === 1 && !c.deleted && c.raw.includes(BOSUN_MARKER_PREFIX));
    // The job runs on the worker's schedule: wait for its final state, then look at what it wrote.
    await waitFor(async () => (await count("SELECT COUNT(*) AS n FROM jobs WHERE client_key = ? AND type = 'webhook.comment' AND state = 'succeeded'", [inst.installationId])) === 1, 'the job to finish', 60_000);
    const sticky = stickies();
    expect(sticky).toHaveLength(1);
    // Written as the Forge installation's app account, with the system token the event carried.
    const author = sandbox.state.users.find((u) => u.uuid === sticky?.[0]?.userUuid);
    expect(author?.kind).toBe('app_user');
  }, 120_000);

  it('an event about another workspace than its installation\'s is refused with 403 and stores nothing', async () => {
    const res = await forge.callEndpoint(forgeRoutes.events, inst, {
      eventType: 'avi:bitbucket:updated:pullrequest',
      workspace: { uuid: '{00000000-0000-4000-8000-0000000000ff}' },
      repository: { uuid: WEB_REPO },
      pullrequest: { id: 2 },
    });
    expect(res.status).toBe(403);
    expect(await count('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE client_key = ? AND event_key = ?', [inst.installationId, 'pullrequest:updated'])).toBe(0);
  });

  it('a PR event becomes the same coalesced sync job as its Connect webhook', async () => {
    const res = await forge.callEndpoint(forgeRoutes.events, inst, {
      eventType: 'avi:bitbucket:updated:pullrequest',
      workspace: { uuid: inst.workspaceUuid },
      repository: { uuid: WEB_REPO },
      pullrequest: { id: 2 },
    });
    expect(res.json).toEqual({ outcome: 'stored' });
    expect(await count("SELECT COUNT(*) AS n FROM jobs WHERE client_key = ? AND type = 'pullrequest.sync'", [inst.installationId])).toBeGreaterThanOrEqual(1);
  });

  it('the merge check, called before a merge, blocks a PR the oracle calls blocked and lets it merge once ready', async () => {
    const blocked = await forge.mergeWithChecks(inst, { repo: 'web', repoUuid: WEB_REPO, id: 3 }, 'alice');
    expect(blocked.merged).toBe(false);
    expect(blocked.message).toMatch(/draft/i);
    const pr = sandbox.state.pullRequests.find((p) => p.repoUuid === WEB_REPO && p.id === 3);
    expect(pr?.state).toBe('OPEN');
    if (pr) pr.draft = false;
    const ready = await forge.mergeWithChecks(inst, { repo: 'web', repoUuid: WEB_REPO, id: 3 }, 'alice');
    expect(ready).toEqual({ merged: true, message: 'Bosun: ready to merge.' });
    expect(sandbox.state.pullRequests.find((p) => p.repoUuid === WEB_REPO && p.id === 3)?.state).toBe('MERGED');
  });
});
