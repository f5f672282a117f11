import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../sandbox';
import { createForgeHost, type ForgeHost, type ForgeInstallation } from '../../sandbox/forge/create-forge-host';
import { startForgePages, type ForgePages } from '../../sandbox/forge/start-forge-pages';
import { launchBrowser } from '../helpers/browser';
import { startBosun, type RunningBosun } from '../helpers/start-bosun';

const APP_ID = 'ari:cloud:ecosystem::app/5e1f0000-0000-4000-8000-00000000b20e';
const RESOURCE_DIR = path.resolve('dist/forge');
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

interface RemoteCall {
  method: string;
  path: string;
  fit: string | null;
  status: number;
}

/**
 * The PR panel as a Forge Custom UI page: the sandbox's Forge PR page frames the built resource
 * (dist/forge, on its own origin), @forge/bridge in the frame talks to the page's bridge, and every
 * call reaches Bosun through the sandbox's Forge Remote with a FIT Bosun verifies.
 */
describe('the PR panel through the Forge host (Custom UI, @forge/bridge, Forge Remote)', () => {
  let sandbox: Sandbox;
  let sandboxServer: http.Server;
  let sandboxUrl: string;
  let forge: ForgeHost;
  let jwks: { close(): Promise<void> };
  let bosun: RunningBosun;
  let pages: ForgePages;
  let inst: ForgeInstallation;
  let browser: Browser;
  let page: Page;
  const calls: RemoteCall[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(RESOURCE_DIR, 'index.html'))) throw new Error('dist/forge is not built: run `npm run build:forge-client` first');
    sandboxServer = http.createServer();
    await new Promise<void>((resolve) => sandboxServer.listen(0, '127.0.0.1', resolve));
    sandboxUrl = `http://127.0.0.1:${(sandboxServer.address() as AddressInfo).port}`;
    sandbox = createSandbox({ publicUrl: sandboxUrl, logger: quiet, webhookRetryDelaysMs: [50] });
    sandboxServer.on('request', sandbox.app);
    let bosunUrl = '';
    // Records every call the Forge platform makes to Bosun, with the FIT it carried.
    const recordingFetch: typeof fetch = async (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      const res = await fetch(input, init);
      if (bosunUrl && url.origin === new URL(bosunUrl).origin) {
        const auth = new Headers(init?.headers).get('authorization');
        calls.push({ method: init?.method ?? 'GET', path: `${url.pathname}${url.search}`, fit: auth?.replace(/^Bearer /, '') ?? null, status: res.status });
      }
      return res;
    };
    forge = await createForgeHost({ state: sandbox.state, apiBaseUrl: sandboxUrl, remoteUrl: () => bosunUrl, now: () => new Date(), appId: APP_ID, fetch: recordingFetch, actions: sandbox.actions });
    jwks = await forge.listen(0);
    bosun = await startBosun({ env: { BITBUCKET_SITE_URL: sandboxUrl, BOSUN_FORGE_APP_ID: APP_ID, BOSUN_FORGE_JWKS_URL: forge.jwksUrl } });
    bosunUrl = bosun.url;
    inst = await forge.install({ workspace: 'acme' });
    pages = await startForgePages({ sandbox, forge, publicUrl: sandboxUrl, resourceDir: RESOURCE_DIR });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await bosun?.close();
    await jwks?.close();
    await sandbox?.close();
    sandboxServer?.closeAllConnections();
    if (sandboxServer) await new Promise<void>((resolve) => sandboxServer.close(() => resolve()));
  });

  const panel = () => page.frameLocator('[data-testid="forge-iframe-bosun-pr-panel"]');
  const verifyFit = async (fit: string | null) => {
    if (!fit) throw new Error('the call carried no FIT');
    const { payload } = await jwtVerify(fit, createLocalJWKSet(forge.jwks()), { issuer: 'forge/invocation-token', audience: APP_ID, algorithms: ['RS256'] });
    return payload as { app: { installationId: string; module?: { key?: string } }; principal?: string };
  };

  it('loads from the Custom UI origin and shows the PR\'s build statuses', async () => {
    await page.goto(`${sandboxUrl}/forge/acme/web/pull-requests/1?as=alice`);
    const iframe = page.locator('[data-testid="forge-iframe-bosun-pr-panel"]');
    // The frame is the resource, on an origin that is neither the product's nor Bosun's.
    const src = new URL((await iframe.getAttribute('src'))!);
    expect(src.origin).toBe(new URL(pages.resourceUrl).origin);
    expect([new URL(sandboxUrl).origin, new URL(bosun.url).origin]).not.toContain(src.origin);
    await panel().locator('[data-testid="pr-panel"]').waitFor({ timeout: 20_000 });
    const statuses = panel().locator('[data-testid="build-status"]');
    await expect.poll(() => statuses.count(), { timeout: 10_000 }).toBe(2);
    const states = await statuses.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')).sort());
    expect(states).toEqual(['INPROGRESS', 'SUCCESSFUL']);
    // The boot call and the panel's read went through Forge Remote, each with a FIT for this module and viewer.
    const alice = sandbox.state.users.find((u) => u.nickname === 'alice')!;
    // The PR page frames the card and the action too: pick the panel module's calls.
    const moduleOf = async (c: RemoteCall) => (await verifyFit(c.fit)).app.module?.key;
    const panelCalls = (await Promise.all(calls.map(async (c) => ((await moduleOf(c)) === 'bosun-pr-panel' ? c : null)))).filter((c): c is RemoteCall => c !== null);
    const boot = panelCalls.find((c) => c.path === '/forge/invoke');
    const read = panelCalls.find((c) => c.path.startsWith('/api/pr-panel?'));
    expect(boot?.status).toBe(200);
    expect(read?.status).toBe(200);
    for (const call of [boot!, read!]) {
      const claims = await verifyFit(call.fit);
      expect(claims.app.installationId).toBe(inst.installationId);
      expect(claims.app.module?.key).toBe('bosun-pr-panel');
      expect(claims.principal).toBe(alice.accountId);
    }
    // The page never reached Bosun itself: the frame's CSP allows no network but its own origin.
    expect(calls.every((c) => c.fit !== null)).toBe(true);
  }, 60_000);

  it('the frame is sized to its content by the host', async () => {
    const iframe = page.locator('[data-testid="forge-iframe-bosun-pr-panel"]');
    await expect.poll(async () => (await iframe.boundingBox())?.height ?? 0, { timeout: 10_000 }).toBeGreaterThan(200);
  });

  it('a comment asked of Bosun in the panel is confirmed, runs through Forge Remote with a verified FIT, and lands on the PR', async () => {
    const web = sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const commentsOnPr = () => sandbox.state.comments.filter((c) => c.repoUuid === web.uuid && c.prId === 1 && !c.deleted && c.raw.includes('shipped from Forge'));
    expect(commentsOnPr()).toHaveLength(0);
    await panel().getByTestId('ask-input').fill('comment "shipped from Forge"');
    await panel().getByTestId('ask-submit').click();
    await panel().getByTestId('plan-preview').waitFor({ timeout: 15_000 });
    expect(await panel().getByTestId('plan-step').getAttribute('data-tool')).toBe('pullRequest.comment');
    expect(commentsOnPr()).toHaveLength(0);
    await panel().getByTestId('plan-confirm').click();
    await panel().locator('[data-testid="plan-result"][data-outcome="succeeded"]').waitFor({ timeout: 30_000 });
    expect(commentsOnPr()).toHaveLength(1);
    const execute = calls.filter((c) => c.method === 'POST' && c.path === '/api/agent/execute');
    expect(execute).toHaveLength(1);
    expect(execute[0]!.status).toBe(202);
    const claims = await verifyFit(execute[0]!.fit);
    expect(claims.app.installationId).toBe(inst.installationId);
    expect(claims.principal).toBe(sandbox.state.users.find((u) => u.nickname === 'alice')!.accountId);
    // Bosun answers a FIT that does not verify with 401: the sandbox's platform key is the only signer it trusts.
    const forged = await forge.signFit({ installation: inst, moduleKey: 'bosun-pr-panel', override: { aud: 'ari:cloud:ecosystem::app/someone-else' } });
    const refused = await fetch(`${bosun.url}/api/pr-panel?repoUuid=${encodeURIComponent(web.uuid)}&prId=1`, { headers: { Authorization: `Bearer ${forged}`, 'x-forge-oauth-system': inst.systemToken } });
    expect(refused.status).toBe(401);
  }, 90_000);

  it('Merge asks Bosun\'s merge check first: a draft PR is blocked, with Bosun\'s blockers as the message', async () => {
    await page.goto(`${sandboxUrl}/forge/acme/web/pull-requests/3?as=alice`);
    await page.getByTestId('forge-merge').click();
    await page.getByTestId('forge-flash').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('forge-flash').innerText()).toMatch(/^Merge blocked: Bosun: .*draft/i);
    const web = sandbox.state.repositories.find((r) => r.slug === 'web')!;
    expect(sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === 3)?.state).toBe('OPEN');
    const check = calls.filter((c) => c.path === '/forge/merge-check');
    expect(check.map((c) => c.status)).toEqual([200]);
    expect((await verifyFit(check[0]!.fit)).app.installationId).toBe(inst.installationId);
    await panel().locator('[data-testid="pr-panel"]').waitFor({ timeout: 20_000 });
  }, 60_000);

  it('the repository page, workspace settings and personal settings render through the same Forge door', async () => {
    await page.goto(`${sandboxUrl}/forge/acme/web/apps/bosun-repo-dashboard?as=alice`);
    const dashboard = page.frameLocator('[data-testid="forge-iframe-bosun-repo-dashboard"]');
    await dashboard.getByTestId('pr-title-link').first().waitFor({ timeout: 20_000 });
    expect(await dashboard.locator('body').innerText()).toContain('Add login form');
    // The frame is sandboxed without top navigation: its target="_top" link leaves through @forge/bridge's router.
    const link = dashboard.getByTestId('pr-title-link').first();
    const href = await link.getAttribute('href');
    await link.click();
    await page.waitForURL((url) => url.href === href, { timeout: 10_000 });

    await page.goto(`${sandboxUrl}/forge/acme/workspace/settings/apps/bosun-admin-settings?as=alice`);
    const admin = page.frameLocator('[data-testid="forge-iframe-bosun-admin-settings"]');
    await admin.locator('[data-testid="admin-settings"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => admin.locator('[data-testid="admin-settings"]').innerText(), { timeout: 10_000 }).toContain('acme');

    await page.goto(`${sandboxUrl}/forge/acme/account/settings/apps/bosun-personal-settings?as=bob`);
    const personal = page.frameLocator('[data-testid="forge-iframe-bosun-personal-settings"]');
    await personal.locator('[data-testid="personal-settings"]').waitFor({ timeout: 20_000 });
    const bob = sandbox.state.users.find((u) => u.nickname === 'bob')!;
    const modules = await Promise.all(calls.filter((c) => c.path === '/forge/invoke').map(async (c) => (await verifyFit(c.fit)).app.module?.key));
    expect(new Set(modules)).toEqual(new Set(['bosun-pr-panel', 'bosun-pr-card', 'bosun-pr-action', 'bosun-repo-dashboard', 'bosun-admin-settings', 'bosun-personal-settings']));
    const last = calls.filter((c) => c.path === '/api/personal-settings').at(-1);
    expect(last?.status).toBe(200);
    expect((await verifyFit(last!.fit)).principal).toBe(bob.accountId);
  }, 90_000);

  it('the PR card and the PR action render the PR panel through their own modules; the action opens in a dialog', async () => {
    await page.goto(`${sandboxUrl}/forge/acme/web/pull-requests/2?as=alice`);
    const card = page.frameLocator('[data-testid="forge-iframe-bosun-pr-card"]');
    await card.locator('[data-testid="pr-panel"]').waitFor({ timeout: 20_000 });
    expect(await card.locator('[data-testid="pr-panel"]').innerText()).toContain('Fix header overflow on mobile');
    await page.getByTestId('forge-pr-action-open').click();
    expect(await page.getByTestId('forge-pr-action').evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    const action = page.frameLocator('[data-testid="forge-iframe-bosun-pr-action"]');
    await action.getByTestId('ask-input').waitFor({ timeout: 20_000 });
    await page.getByTestId('forge-pr-action-close').click();
    // Each frame's calls carry a FIT for its own module.
    const reads = calls.filter((c) => c.path.startsWith('/api/pr-panel?') && c.path.includes('prId=2'));
    const modules = await Promise.all(reads.map(async (c) => (await verifyFit(c.fit)).app.module?.key));
    expect(new Set(modules)).toEqual(new Set(['bosun-pr-panel', 'bosun-pr-card', 'bosun-pr-action']));
  }, 90_000);

  it('the workspace page is a workspace settings module for admins: Alice sees every repository; Bob is refused by Bitbucket and by Bosun', async () => {
    await page.goto(`${sandboxUrl}/forge/acme/workspace/settings/apps/bosun-workspace?as=alice`);
    const workspace = page.frameLocator('[data-testid="forge-iframe-bosun-workspace"]');
    await workspace.locator('[data-testid="workspace-page"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => workspace.locator('[data-testid="workspace-page"]').innerText(), { timeout: 20_000 }).toContain('web');
    // Outside the browser, so the refused page is no console error of the pages under test.
    const shown = await fetch(`${sandboxUrl}/forge/acme/workspace/settings/apps/bosun-workspace?as=bob`);
    expect(shown.status).toBe(403);
    // Bosun checks it too: a FIT for Bob on the workspace module is refused (403, never 401).
    const bob = sandbox.state.users.find((u) => u.nickname === 'bob')!;
    const boot = await forge.invokeRemote(inst, { moduleKey: 'bosun-workspace', accountId: bob.accountId, path: '/forge/invoke', body: {} });
    expect(boot.status).toBe(200);
    const refused = await forge.invokeRemote(inst, { moduleKey: 'bosun-workspace', accountId: bob.accountId, path: '/api/workspace', method: 'GET' });
    expect(refused.status).toBe(403);
  }, 90_000);

  it('"Approve as me" in the Forge panel approves as the viewer with the token Forge sent for the click, and the personal page says so', async () => {
    const web = sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const alice = sandbox.state.users.find((u) => u.nickname === 'alice')!;
    const approved = () => sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === 1)!.participants.some((p) => p.userUuid === alice.uuid && p.approved);
    expect(approved()).toBe(false);
    await page.goto(`${sandboxUrl}/forge/acme/web/pull-requests/1?as=alice`);
    await panel().getByTestId('approve-button').click();
    await expect.poll(() => approved(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => panel().getByTestId('approve-button').innerText(), { timeout: 20_000 }).toBe('Remove my approval');
    const approve = calls.filter((c) => c.method === 'POST' && c.path === '/api/pr-panel/approve');
    expect(approve.map((c) => c.status)).toEqual([202]);
    expect((await verifyFit(approve[0]!.fit)).principal).toBe(alice.accountId);
    // Nothing to connect: Bosun stored no token of Alice's.
    expect(await bosun.services.db.models.UserConnection.count({ where: { clientKey: inst.installationId } })).toBe(0);

    await page.goto(`${sandboxUrl}/forge/acme/account/settings/apps/bosun-personal-settings?as=alice`);
    const personal = page.frameLocator('[data-testid="forge-iframe-bosun-personal-settings"]');
    await personal.getByTestId('forge-user-token').waitFor({ timeout: 20_000 });
    expect(await personal.getByTestId('forge-user-token').innerText()).toMatch(/for\s+that action only/);
    expect(await personal.getByTestId('connect-bitbucket').count()).toBe(0);
  }, 90_000);

  it('showed no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
