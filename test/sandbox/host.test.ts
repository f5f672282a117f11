import { createQueryStringHash, decodeSymmetric, fromMethodAndUrl, SymmetricAlgorithm } from 'atlassian-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIframeUrl } from '../../sandbox';
import { type Harness, startHarness } from './helpers/setup';

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

describe('sandbox host pages and iframes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('builds the iframe URL Bitbucket would: substituted context, xdm_e, xdm_c and a valid jwt', () => {
    const { state } = h.sandbox;
    const repo = state.repositories.find((r) => r.slug === 'web')!;
    const pr = state.pullRequests.find((p) => p.repoUuid === repo.uuid && p.id === 1)!;
    const user = state.users[1]!;
    const src = buildIframeUrl({
      installation: h.inst,
      moduleUrl: '/panel?repo={repository.uuid}&name={repository.full_name}&pr={pullrequest.id}&c={pullrequest.source.commit.hash}&u={user.uuid}&w={workspace.slug}',
      context: { workspace: state.workspaces[0]!, repository: repo, repositoryFullName: 'acme/web', pullrequest: pr, user },
      hostOrigin: 'http://sandbox.test', channelId: 'chan-1', now: new Date(),
    });
    const url = new URL(src);
    expect(url.origin + url.pathname).toBe(`${h.app.baseUrl}/panel`);
    expect(src).toContain(`repo=${encodeURIComponent(repo.uuid)}`);
    expect(url.searchParams.get('repo')).toBe(repo.uuid);
    expect(url.searchParams.get('name')).toBe('acme/web');
    expect(url.searchParams.get('pr')).toBe('1');
    expect(url.searchParams.get('c')).toBe(pr.source.hash.slice(0, 12));
    expect(url.searchParams.get('u')).toBe(user.uuid);
    expect(url.searchParams.get('w')).toBe('acme');
    expect(url.searchParams.get('xdm_e')).toBe('http://sandbox.test');
    expect(url.searchParams.get('xdm_c')).toBe('chan-1');
    const claims = decodeSymmetric(url.searchParams.get('jwt')!, h.inst.sharedSecret, SymmetricAlgorithm.HS256);
    expect(claims.iss).toBe(h.inst.clientKey);
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.qsh).toBe(createQueryStringHash(fromMethodAndUrl('GET', `${url.pathname}${url.search}`), false, h.app.baseUrl));
  });

  it('leaves a placeholder empty when the app lacks the root scope', () => {
    const state = h.sandbox.state;
    const src = buildIframeUrl({
      installation: { ...h.inst, descriptor: { ...h.inst.descriptor, scopes: ['repository'] } },
      moduleUrl: '/p?u={user.uuid}&r={repository.uuid}&pr={pullrequest.id}',
      context: { workspace: state.workspaces[0]!, repository: state.repositories[0]!, pullrequest: state.pullRequests[0]!, user: state.users[0]! },
      hostOrigin: 'http://sandbox.test', channelId: 'c', now: new Date(),
    });
    const url = new URL(src);
    expect(url.searchParams.get('u')).toBe('');
    expect(url.searchParams.get('pr')).toBe('');
    expect(url.searchParams.get('r')).toBe(state.repositories[0]!.uuid);
  });

  it('renders the PR page with state, reviewers, statuses, actions and the app panel iframe carrying a jwt', async () => {
    const res = await fetch(`${h.url}/acme/web/pull-requests/1?as=bob`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/sandbox_user=bob/);
    const html = await res.text();
    expect(html).toContain('Add login form');
    expect(html).toContain('data-testid="pr-approve"');
    expect(html).toContain('SUCCESSFUL');
    const m = /<iframe[^>]*data-testid="connect-iframe-bosun-panel"[^>]*name="([^"]+)"[^>]*src="([^"]+)"/.exec(html);
    expect(m).not.toBeNull();
    const src = new URL(decodeEntities(m![2]!));
    expect(src.searchParams.get('jwt')).toBeTruthy();
    expect(src.searchParams.get('xdm_c')).toBe(m![1]);
    const bob = h.sandbox.state.users.find((u) => u.nickname === 'bob')!;
    expect(src.searchParams.get('user')).toBe(bob.uuid);
  });

  it('acts as the current user from the PR page and fires webhooks', async () => {
    const res = await fetch(`${h.url}/acme/web/pull-requests/2/approve`, { method: 'POST', headers: { cookie: 'sandbox_user=dave' }, redirect: 'manual' });
    expect(res.status).toBe(303);
    const pr = h.sandbox.state.pullRequests.find((p) => p.id === 2 && p.title.startsWith('Fix header'))!;
    const dave = h.sandbox.state.users.find((u) => u.nickname === 'dave')!;
    expect(pr.participants.find((p) => p.userUuid === dave.uuid)?.approved).toBe(true);
    await h.sandbox.idle();
    expect(h.app.received.some((r) => r.path === '/webhook' && (r.body.data as any).actor.nickname === 'dave')).toBe(true);
  });

  it('renders home, repository (with repoPages nav), workspace settings, consent page and all.js', async () => {
    const home = await (await fetch(`${h.url}/`)).text();
    expect(home).toContain('acme/web');
    expect(home).toContain('Bosun (test)');
    const repo = await (await fetch(`${h.url}/acme/web`)).text();
    expect(repo).toContain('/acme/web/addon/bosun-test/bosun-repo');
    const repoPage = await (await fetch(`${h.url}/acme/web/addon/bosun-test/bosun-repo`)).text();
    expect(repoPage).toContain('data-testid="connect-iframe-bosun-repo"');
    const settings = await (await fetch(`${h.url}/acme/workspace/settings`)).text();
    expect(settings).toContain('Uninstall');
    expect(settings).toContain('/acme/workspace/settings/addon/bosun-test/bosun-admin');
    const consent = await fetch(`${h.url}/site/addons/authorize?descriptor_uri=${encodeURIComponent(h.app.descriptorUrl)}&redirect_uri=${encodeURIComponent(`${h.app.baseUrl}/done`)}`);
    const consentHtml = await consent.text();
    expect(consentHtml).toContain('pullrequest:write');
    expect(consentHtml).toContain('data-testid="install-button"');
    const allJs = await fetch(`${h.url}/atlassian-connect/all.js`);
    expect(allJs.headers.get('content-type')).toMatch(/javascript/);
    expect(await allJs.text()).toContain('window.AP');
    const health = await fetch(`${h.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('installs from the consent form and redirects to redirect_uri with client_key', async () => {
    const res = await fetch(`${h.url}/site/addons/authorize`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'sandbox_user=alice' },
      body: new URLSearchParams({ descriptor_uri: h.app.descriptorUrl, redirect_uri: `${h.app.baseUrl}/done`, workspace: 'acme' }).toString(),
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('client_key')).toBe(h.inst.clientKey);
    h.inst = h.sandbox.state.installations.find((i) => i.clientKey === h.inst.clientKey)!;
  });

  it('escapes HTML from user content', async () => {
    h.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 1 }, 'carol', '<script>alert(1)</script>');
    const html = await (await fetch(`${h.url}/acme/web/pull-requests/1`)).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
