import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIframeUrl } from '../../sandbox/connect/build-iframe-url';
import { enqueueAgentExecution } from '../../server/jobs';
import { callApi, sandboxUser, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';

const NON_ADMINS = ['bob', 'carol', 'dave', 'erin'] as const;
const ADMIN_APIS = ['/api/admin-settings', '/api/audit', '/api/audit?limit=1&offset=0&outcome=succeeded'];

describe.each(testDatabaseKinds())('admin-only surfaces (%s)', (kind) => {
  let stack: RunningStack;
  const clockStart = Date.now();
  let offsetMs = 0;
  const permissionCalls: string[] = [];

  beforeAll(async () => {
    stack = await startStack({
      database: kind,
      oauth: {},
      // Bosun's clock stands still unless a test moves it (the admin cache's TTL), so no assertion depends on how fast the machine is.
      now: () => new Date(clockStart + offsetMs),
      fetch: async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (/\/2\.0\/workspaces\/[^/]+\/permissions/.test(url)) permissionCalls.push(url);
        return fetch(input, init);
      },
    });
  });
  afterAll(async () => stack.close());

  const workspace = () => stack.sandbox.state.workspaces.find((w) => w.slug === 'acme')!;
  const setAdmin = (nickname: string, admin: boolean) => {
    const ws = workspace();
    ws.admins = admin ? [...new Set([...ws.admins, nickname])] : ws.admins.filter((n) => n !== nickname);
  };
  const adminApi = (nickname: string, path = '/api/admin-settings') => callApi(stack, sessionFor(stack, nickname, 'admin-settings'), 'GET', path);
  /** The admin page's iframe URL exactly as Bitbucket builds it for this viewer (signed, qsh over the context). */
  const adminPageUrl = (nickname: string) => {
    const installation = stack.sandbox.state.installations.find((i) => i.clientKey === stack.installation.clientKey)!;
    return buildIframeUrl({
      installation,
      moduleUrl: '/pages/admin-settings?userUuid={user.uuid}&accountId={user.account_id}',
      context: { workspace: workspace(), user: sandboxUser(stack, nickname) },
      hostOrigin: stack.sandboxUrl,
      channelId: 'test',
      now: new Date(),
    });
  };

  it.each(NON_ADMINS)('%s (not an admin) gets 403 on every admin API', async (nickname) => {
    for (const path of ADMIN_APIS) {
      const res = await adminApi(nickname, path);
      expect(res.status, `${nickname} ${path}`).toBe(403);
      expect(res.json.error.code).toBe('NOT_WORKSPACE_ADMIN');
      expect(res.json.error.message).toContain('Only workspace admins');
      expect(JSON.stringify(res.json)).not.toContain('recentDeliveries');
    }
  });

  it.each(NON_ADMINS)('%s (not an admin) gets the readable 403 page instead of the admin page', async (nickname) => {
    const res = await fetch(adminPageUrl(nickname));
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('Only workspace admins can open Bosun');
    expect(html).not.toContain('bosun-session');
  });

  it('alice (the admin) gets the admin page and every admin API', async () => {
    const page = await fetch(adminPageUrl('alice'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('bosun-session');
    for (const path of ADMIN_APIS) {
      const res = await adminApi('alice', path);
      expect(res.status, path).toBe(200);
    }
    expect((await adminApi('alice')).json.oauth.callbackUrl).toBe(`${stack.bosun.url}/oauth/callback`);
  });

  it('members\' own pages stay open to non-admins', async () => {
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    for (const nickname of NON_ADMINS) {
      expect((await callApi(stack, sessionFor(stack, nickname, 'personal-settings'), 'GET', '/api/personal-settings')).status).toBe(200);
      const panel = await callApi(stack, sessionFor(stack, nickname, 'pr-panel'), 'GET', `/api/pr-panel?repoUuid=${encodeURIComponent(web.uuid)}&prId=1`);
      expect(panel.status).toBe(200);
    }
  });

  it('a person follows their own requests only: another member\'s job (and its audit entry) is not found', async () => {
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const bob = sandboxUser(stack, 'bob');
    const { jobId } = await enqueueAgentExecution(stack.bosun.services.automation.queue, stack.installation.clientKey, {
      plan: { summary: 'Approve #1', source: 'button', steps: [{ tool: 'pullRequest.approve', input: { repo: web.uuid, pullRequestId: 1 } }] },
      actor: { userUuid: bob.uuid, accountId: bob.accountId },
      idempotencyKey: `test:${randomUUID()}`,
      confirmed: true,
      trigger: { kind: 'panel', ref: 'pr-panel' },
    });
    expect((await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'GET', `/api/agent/jobs/${jobId}`)).status).toBe(200);
    for (const nickname of ['carol', 'alice']) {
      const other = await callApi(stack, sessionFor(stack, nickname, 'pr-panel'), 'GET', `/api/agent/jobs/${jobId}`);
      expect(other.status, nickname).toBe(404);
    }
  });

  it('the sandbox shows workspace settings, and the app\'s admin page in them, to admins only', async () => {
    const settings = (nickname: string, path = '') => fetch(`${stack.sandboxUrl}/acme/workspace/settings${path}`, { headers: { cookie: `sandbox_user=${nickname}` } });
    const addon = `/addon/${stack.installation.key}/bosun-admin-settings`;
    expect((await settings('alice')).status).toBe(200);
    expect((await settings('alice', addon)).status).toBe(200);
    for (const nickname of NON_ADMINS) {
      expect((await settings(nickname)).status).toBe(403);
      const page = await settings(nickname, addon);
      expect(page.status).toBe(403);
      expect(await page.text()).not.toContain('<iframe data-connect-iframe');
    }
  });

  it('trusts an admin for the TTL, then asks Bitbucket again; a refusal is always asked fresh', async () => {
    offsetMs += 120_000; // anything cached by earlier tests has expired
    const calls = () => permissionCalls.length;

    const first = calls();
    expect((await adminApi('alice')).status).toBe(200);
    expect(calls()).toBe(first + 1);
    expect((await adminApi('alice', '/api/audit')).status).toBe(200);
    expect(calls(), 'a yes is cached').toBe(first + 1);

    // Demoted in Bitbucket: still trusted until the TTL (60 s) runs out, then refused.
    setAdmin('alice', false);
    try {
      offsetMs += 30_000;
      expect((await adminApi('alice')).status).toBe(200);
      expect(calls()).toBe(first + 1);
      offsetMs += 31_000;
      expect((await adminApi('alice')).status).toBe(403);
      expect(calls()).toBe(first + 2);
    } finally {
      setAdmin('alice', true);
    }
    // The refusal was not cached: alice, an admin again, gets in at once.
    expect((await adminApi('alice')).status).toBe(200);
    expect(calls()).toBe(first + 3);

    // bob was refused before; made an admin, he is let in on his next request.
    expect((await adminApi('bob')).status).toBe(403);
    setAdmin('bob', true);
    try {
      expect((await adminApi('bob')).status).toBe(200);
    } finally {
      setAdmin('bob', false);
    }
  });

  it('when Bitbucket refuses to say, nobody is vouched for and the cached answer is dropped', async () => {
    offsetMs += 120_000;
    expect((await adminApi('alice')).status).toBe(200);
    offsetMs += 61_000;
    const fault = stack.sandbox.faults.add({ method: 'GET', pathPattern: '/2.0/workspaces/*/permissions', status: 403, times: 1 });
    try {
      const refused = await adminApi('alice');
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe('NOT_WORKSPACE_ADMIN');
    } finally {
      stack.sandbox.faults.remove(fault.id);
    }
    const before = permissionCalls.length;
    expect((await adminApi('alice')).status).toBe(200);
    expect(permissionCalls.length, 'asked again, not served a stale answer').toBe(before + 1);
  });
});
