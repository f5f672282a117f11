import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../sandbox';
import { createForgeHost, type ForgeHost, type ForgeInstallation } from '../../sandbox/forge/create-forge-host';
import { startBosun, type RunningBosun } from '../helpers/start-bosun';
import { testDatabaseKinds } from '../helpers/test-databases';

const WEB_REPO = '{7eb00000-0000-4000-8000-00000000a001}';
const ALICE = '712020:a11ce000-0000-4000-8000-000000000001';
const BOB = '712020:b0b00000-0000-4000-8000-000000000002';
const APP_ID = 'ari:cloud:ecosystem::app/5e1f0000-0000-4000-8000-00000000f0e1';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * The pages' own API, called as a Forge page calls it (invokeRemote: a FIT for the module and the
 * person, app and user tokens), against a whole Bosun configured for Forge beside Connect.
 */
describe.each(testDatabaseKinds())('Forge pages through the same API (%s)', (kind) => {
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
    forge = await createForgeHost({ state: sandbox.state, apiBaseUrl: sandboxServer.url, remoteUrl: () => bosunUrl, now: () => new Date(), appId: APP_ID });
    jwks = await forge.listen(0);
    bosun = await startBosun({
      database: kind,
      worker: false,
      env: { BOSUN_FORGE_APP_ID: APP_ID, BOSUN_FORGE_JWKS_URL: forge.jwksUrl, BITBUCKET_SITE_URL: sandboxServer.url },
    });
    bosunUrl = bosun.url;
    inst = await forge.install({ workspace: 'acme' });
  });
  afterAll(async () => {
    await bosun?.close();
    await jwks?.close();
    await sandbox?.close();
    await sandboxServer?.close();
  });

  const call = (moduleKey: string, path: string, accountId = ALICE, method = 'GET') => forge.invokeRemote(inst, { moduleKey, accountId, path, method });

  it('the PR panel module reads the PR panel view, as the installation, at the FIT\'s apiBaseUrl', async () => {
    const res = await call('bosun-pr-panel', `/api/pr-panel?repoUuid=${encodeURIComponent(WEB_REPO)}&prId=1`);
    expect(res.status, res.text).toBe(200);
    expect(JSON.stringify(res.json)).toContain('Add login form');
  });

  it('the repository page module reads the dashboard', async () => {
    const res = await call('bosun-repo-dashboard', `/api/repo-dashboard?repoUuid=${encodeURIComponent(WEB_REPO)}`);
    expect(res.status, res.text).toBe(200);
    expect(JSON.stringify(res.json)).toContain('Add login form');
  });

  it('the workspace settings module is for workspace admins: Alice reads it, Bob is refused with 403', async () => {
    const alice = await call('bosun-admin-settings', '/api/admin-settings');
    expect(alice.status, alice.text).toBe(200);
    expect(alice.json).toMatchObject({ tenant: { workspaceUuid: inst.workspaceUuid } });
    const bob = await call('bosun-admin-settings', '/api/admin-settings', BOB);
    expect(bob.status).toBe(403);
  });

  it('the personal settings module knows the viewer by their Bitbucket uuid', async () => {
    const res = await call('bosun-personal-settings', '/api/personal-settings');
    expect(res.status, res.text).toBe(200);
  });

  it('a module\'s FIT is bound to its page: the PR panel\'s cannot read admin settings', async () => {
    const res = await call('bosun-pr-panel', '/api/admin-settings');
    // A valid FIT outside its page is a refusal, 403: Forge reserves 401 for a FIT the remote did not accept.
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ error: { code: 'SESSION_SCOPE' } });
    const post = await forge.invokeRemote(inst, { moduleKey: 'bosun-personal-settings', accountId: ALICE, path: '/api/admin/policy/preview', method: 'POST', body: { layer: {} } });
    expect(post.status).toBe(403);
    expect(post.json).toMatchObject({ error: { code: 'SESSION_SCOPE' } });
  });

  it('a viewer Bitbucket does not name (no user token with the FIT) is refused 403 where a page needs them, never 401', async () => {
    // An account the sandbox has no user for: Forge sends the FIT, but no x-forge-oauth-user.
    const stranger = '712020:57a40000-0000-4000-8000-00000000dead';
    const res = await forge.invokeRemote(inst, { moduleKey: 'bosun-pr-panel', accountId: stranger, path: '/api/pr-panel/approve', method: 'POST', body: { repoUuid: WEB_REPO, prId: 1, idempotencyKey: 'stranger-approve-1' } });
    expect(res.status, res.text).toBe(403);
    expect(res.json).toMatchObject({ error: { code: 'VIEWER_UNKNOWN' } });
  });

  it('live reads for a Forge tenant are charged to its rate budget, in the people lane, one row per Bitbucket request', async () => {
    const { db } = bosun.services;
    const before = await db.models.BudgetUsage.findAll({ where: { clientKey: inst.installationId }, raw: true });
    const spentBefore = before.reduce((sum, r) => sum + r.count, 0);
    sandbox.requests.reset();
    const res = await call('bosun-pr-panel', `/api/pr-panel?repoUuid=${encodeURIComponent(WEB_REPO)}&prId=1&fresh=1`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ freshness: { source: 'live' } });
    const seen = sandbox.requests.get(`app:${inst.installationId}`).total;
    expect(seen).toBeGreaterThan(0);
    const after = await db.models.BudgetUsage.findAll({ where: { clientKey: inst.installationId }, raw: true });
    expect(after.reduce((sum, r) => sum + r.count, 0) - spentBefore).toBe(seen);
    expect(new Set(after.map((r) => `${r.credential}/${r.lane}`))).toEqual(new Set(['installation/people']));
  });

  it('the personal page says Bosun acts as the viewer with the token Forge sends, and there is no OAuth connection to start', async () => {
    const page = await call('bosun-personal-settings', '/api/personal-settings');
    expect(page.status, page.text).toBe(200);
    expect(page.json).toMatchObject({ actsAsYouWith: 'forge-user-token' });
    const start = await forge.invokeRemote(inst, { moduleKey: 'bosun-personal-settings', accountId: ALICE, path: '/api/oauth/start', method: 'POST', body: {} });
    expect(start.status, start.text).toBe(400);
    expect(start.json).toMatchObject({ error: { message: expect.stringMatching(/nothing to connect/) } });
  });

  it('"Approve as me" on a Forge page approves as the viewer with their x-forge-oauth-user token, in the request, storing no token', async () => {
    const alice = sandbox.state.users.find((u) => u.accountId === ALICE)!;
    const pr = () => sandbox.state.pullRequests.find((p) => p.repoUuid === WEB_REPO && p.id === 1)!;
    expect(pr().participants.find((p) => p.userUuid === alice.uuid)?.approved ?? false).toBe(false);
    sandbox.requests.reset();
    const body = { repoUuid: WEB_REPO, prId: 1, idempotencyKey: 'forge-approve-alice-1' };
    const res = await forge.invokeRemote(inst, { moduleKey: 'bosun-pr-panel', accountId: ALICE, path: '/api/pr-panel/approve', method: 'POST', body });
    expect(res.status, res.text).toBe(202);
    // Ran in the request: the answer is the finished job, with its audit entry acting as Alice.
    expect(res.json).toMatchObject({ finished: { done: true, connect: null, audit: { outcome: 'succeeded', actor: { kind: 'user', userUuid: alice.uuid } } } });
    expect(pr().participants.find((p) => p.userUuid === alice.uuid)?.approved).toBe(true);
    // Bitbucket saw the approval under Alice's own token, not the app's.
    expect(sandbox.requests.get(`user:${alice.uuid}`).total).toBeGreaterThan(0);
    // Nothing of Alice's token stays with Bosun: no connection row, no job carrying it.
    const { db } = bosun.services;
    expect(await db.models.UserConnection.count({ where: { clientKey: inst.installationId } })).toBe(0);
    const jobs = await db.models.Job.findAll({ where: { clientKey: inst.installationId }, raw: true });
    expect(JSON.stringify(jobs)).not.toMatch(/forge-user|Bearer/);
    // The same click again (a retried request) approves once: the executor's idempotency key.
    const again = await forge.invokeRemote(inst, { moduleKey: 'bosun-pr-panel', accountId: ALICE, path: '/api/pr-panel/approve', method: 'POST', body });
    expect(again.status, again.text).toBe(202);
    expect(await db.models.AuditEntry.count({ where: { clientKey: inst.installationId, idempotencyKey: `button:${alice.uuid}:forge-approve-alice-1` } })).toBe(1);
  });

  it('a call that carries no user token (requestRemote: a FIT only) cannot act as the person, even one Bosun already knows: 403, nothing approved', async () => {
    const alice = sandbox.state.users.find((u) => u.accountId === ALICE)!;
    // PR 2: Alice is not its author; earlier calls taught Bosun her uuid.
    const pr = () => sandbox.state.pullRequests.find((p) => p.repoUuid === WEB_REPO && p.id === 2)!;
    const before = pr().participants.find((p) => p.userUuid === alice.uuid)?.approved ?? false;
    const res = await forge.invokeRemote(inst, { moduleKey: 'bosun-pr-panel', accountId: ALICE, path: '/api/pr-panel/approve', method: 'POST', body: { repoUuid: WEB_REPO, prId: 2, idempotencyKey: 'forge-no-token-1' }, tokens: false });
    expect(res.status, res.text).toBe(403);
    expect(res.json).toMatchObject({ error: { message: expect.stringMatching(/only with an action you start/) } });
    expect(pr().participants.find((p) => p.userUuid === alice.uuid)?.approved ?? false).toBe(before);
  });

  it('a FIT never passes for a Connect webhook (a page can make Forge call any path)', async () => {
    const res = await forge.invokeRemote(inst, { moduleKey: 'bosun-pr-panel', accountId: ALICE, path: '/webhooks/bitbucket', method: 'POST', body: { event: 'pullrequest:comment_created', data: {} } });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: 'JWT_MISSING' } });
    expect(await bosun.services.deps.deliveries.listRecent(inst.installationId, 10)).toEqual([]);
  });
});
