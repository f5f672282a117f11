import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_OAUTH_CONSUMER_KEY, DEV_OAUTH_CONSUMER_SECRET, DEV_OAUTH_SCOPES } from '../../sandbox';
import { launchBrowser } from '../helpers/browser';
import { basic, callApi, createPkce, type OAuthHarness, postToken, startOAuthHarness } from './helpers/oauth';

/** A stand-in for Bosun's /oauth/callback on a random port: records every query it receives. */
async function startCallbackServer(): Promise<{ url: string; hits: URLSearchParams[]; close(): Promise<void> }> {
  const hits: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/oauth/callback') hits.push(u.searchParams);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p id="done">callback received</p>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/oauth/callback`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

describe('sandbox OAuth 2.0 in a browser', () => {
  let h: OAuthHarness;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    callback = await startCallbackServer();
    h = await startOAuthHarness({ oauthDevCallbackUrl: callback.url });
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await callback?.close();
  });

  it('consent → Grant access → code at the callback → tokens; then App authorizations → Revoke', async () => {
    const pkce = createPkce();
    const params = new URLSearchParams({ client_id: DEV_OAUTH_CONSUMER_KEY, response_type: 'code', state: 'browser-state', code_challenge: pkce.challenge, code_challenge_method: 'S256', as: 'carol' });
    await page.goto(`${h.url}/site/oauth2/authorize?${params}`);
    const scopes = await page.locator('[data-testid="oauth-scopes"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-scope')));
    expect(scopes).toEqual([...DEV_OAUTH_SCOPES]);
    expect(await page.locator('[data-testid="oauth-user"]').innerText()).toBe('Carol Reviewer');
    await page.click('#oauth-approve');
    await page.locator('#done').waitFor();

    const hit = callback.hits.at(-1)!;
    expect(hit.get('state')).toBe('browser-state');
    const res = await postToken(h.url, { grant_type: 'authorization_code', code: hit.get('code')!, redirect_uri: callback.url, code_verifier: pkce.verifier }, basic(DEV_OAUTH_CONSUMER_KEY, DEV_OAUTH_CONSUMER_SECRET));
    // No redirect_uri was sent to /authorize: repeating the callback URL at the token endpoint is fine.
    expect(res.status).toBe(200);
    expect((await callApi(h.url, '/2.0/user', res.json.access_token)).json.nickname).toBe('carol');

    await page.goto(`${h.url}/`);
    await page.click('[data-testid="app-authorizations-link"]');
    await page.click(`#revoke-${DEV_OAUTH_CONSUMER_KEY}`);
    await page.locator('text=No app authorizations.').waitFor();
    expect((await callApi(h.url, '/2.0/user', res.json.access_token)).status).toBe(401);
    const refresh = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: res.json.refresh_token }, basic(DEV_OAUTH_CONSUMER_KEY, DEV_OAUTH_CONSUMER_SECRET));
    expect(refresh.json.error).toBe('invalid_grant');
  });

  it('Cancel sends the browser back with error=access_denied', async () => {
    await page.goto(`${h.url}/site/oauth2/authorize?${new URLSearchParams({ client_id: DEV_OAUTH_CONSUMER_KEY, response_type: 'code', state: 'no-thanks' })}`);
    await page.click('#oauth-deny');
    await page.locator('#done').waitFor();
    const hit = callback.hits.at(-1)!;
    expect(hit.get('error')).toBe('access_denied');
    expect(hit.get('state')).toBe('no-thanks');
  });
});
