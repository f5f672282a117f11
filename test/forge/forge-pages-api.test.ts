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

  it('a FIT never passes for a Connect webhook (a page can make Forge call any path)', async () => {
    const res = await forge.invokeRemote(inst, { moduleKey: 'bosun-pr-panel', accountId: ALICE, path: '/webhooks/bitbucket', method: 'POST', body: { event: 'pullrequest:comment_created', data: {} } });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: 'JWT_MISSING' } });
    expect(await bosun.services.deps.deliveries.listRecent(inst.installationId, 10)).toEqual([]);
  });
});
