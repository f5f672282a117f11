import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEV_OAUTH_CALLBACK_URL,
  DEV_OAUTH_CONSUMER_KEY,
  DEV_OAUTH_CONSUMER_SECRET,
  DEV_OAUTH_SCOPES,
} from '../../sandbox';
import { USER_OAUTH_SCOPES } from '../../server/auth';
import { signAppJwt } from './helpers/app-jwt';
import { startFakeApp } from './helpers/fake-app';
import {
  basic,
  callApi,
  createPkce,
  decide,
  getConsentPage,
  type OAuthHarness,
  postToken,
  readHiddenInputs,
  startOAuthHarness,
} from './helpers/oauth';

const KEY = DEV_OAUTH_CONSUMER_KEY;
const SECRET = DEV_OAUTH_CONSUMER_SECRET;
const CALLBACK = DEV_OAUTH_CALLBACK_URL;
const DEV_AUTH = basic(KEY, SECRET);

/** The whole code flow as alice with PKCE; returns the token response. */
async function connect(h: OAuthHarness, user = 'alice', clientId = KEY, secret = SECRET): Promise<any> {
  const pkce = createPkce();
  const target = await decide(h.url, { client_id: clientId, response_type: 'code', state: 's1', code_challenge: pkce.challenge, code_challenge_method: 'S256' }, 'approve', user);
  const res = await postToken(h.url, { grant_type: 'authorization_code', code: target.searchParams.get('code')!, code_verifier: pkce.verifier }, basic(clientId, secret));
  expect(res.status).toBe(200);
  return res.json;
}

describe('sandbox OAuth 2.0: authorization code flow', () => {
  let h: OAuthHarness;
  beforeAll(async () => {
    h = await startOAuthHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('seeds the development consumer with the documented credentials', () => {
    const c = h.sandbox.oauth.getConsumer(KEY)!;
    expect(c).toMatchObject({ secret: SECRET, callbackUrl: CALLBACK, scopes: [...DEV_OAUTH_SCOPES], private: false, ownerNickname: 'alice' });
    // The consent screen asks for exactly what Bosun's admin settings list under "Permissions to tick".
    expect(DEV_OAUTH_SCOPES).toEqual([...USER_OAUTH_SCOPES]);
  });

  it('shows a consent page naming the consumer and every scope, then redirects with code and state', async () => {
    const pkce = createPkce();
    const params = { client_id: KEY, response_type: 'code', state: 'xyz 1/2', code_challenge: pkce.challenge, code_challenge_method: 'S256', redirect_uri: CALLBACK };
    const page = await getConsentPage(h.url, params, 'bob');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Bosun (development)');
    expect(page.html).toContain('Bob Builder');
    for (const s of DEV_OAUTH_SCOPES) expect(page.html).toContain(`data-scope="${s}"`);
    expect(page.html).toContain('id="oauth-approve"');
    expect(page.html).toContain('id="oauth-deny"');
    expect(readHiddenInputs(page.html, '/site/oauth2/authorize')).toMatchObject({ client_id: KEY, state: 'xyz 1/2', code_challenge: pkce.challenge });

    const target = await decide(h.url, params, 'approve', 'bob');
    expect(`${target.origin}${target.pathname}`).toBe(CALLBACK);
    expect(target.searchParams.get('state')).toBe('xyz 1/2');
    const code = target.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const res = await postToken(h.url, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: pkce.verifier }, DEV_AUTH);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const scopes = DEV_OAUTH_SCOPES.join(' ');
    expect(res.json).toEqual({
      access_token: expect.any(String), token_type: 'bearer', expires_in: 7200, refresh_token: expect.any(String), scopes, scope: scopes,
    });

    const me = await callApi(h.url, '/2.0/user', res.json.access_token);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ type: 'user', nickname: 'bob', display_name: 'Bob Builder' });
    const emails = await callApi(h.url, '/2.0/user/emails', res.json.access_token);
    expect(emails.status).toBe(200);
    expect(emails.json.values).toEqual([expect.objectContaining({ type: 'email', email: 'bob@acme.test', is_primary: true, is_confirmed: true })]);
    const prs = await callApi(h.url, '/2.0/repositories/acme/web/pullrequests', res.json.access_token);
    expect(prs.status).toBe(200);

    const again = await postToken(h.url, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: pkce.verifier }, DEV_AUTH);
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
  });

  it('Cancel redirects with error=access_denied and the state', async () => {
    const target = await decide(h.url, { client_id: KEY, response_type: 'code', state: 'st-9' }, 'deny');
    expect(`${target.origin}${target.pathname}`).toBe(CALLBACK);
    expect(target.searchParams.get('error')).toBe('access_denied');
    expect(target.searchParams.get('state')).toBe('st-9');
    expect(target.searchParams.get('code')).toBeNull();
  });

  it('unknown client and foreign redirect_uri get an error page, never a redirect', async () => {
    const unknown = await getConsentPage(h.url, { client_id: 'nope', response_type: 'code', state: 's' });
    expect(unknown.status).toBe(400);
    expect(unknown.location).toBeNull();
    expect(unknown.html).toContain('data-testid="oauth-error"');
    for (const redirect of ['https://evil.test/oauth/callback', 'http://localhost:3000/oauth/callback.evil', 'http://localhost:3001/oauth/callback']) {
      const page = await getConsentPage(h.url, { client_id: KEY, response_type: 'code', redirect_uri: redirect });
      expect(page.status, redirect).toBe(400);
      expect(page.location).toBeNull();
    }
    // A sub-path of the callback is accepted, as on Bitbucket.
    const sub = await getConsentPage(h.url, { client_id: KEY, response_type: 'code', redirect_uri: `${CALLBACK}/bitbucket?x=1` });
    expect(sub.status).toBe(200);
    // The POST is checked again: a forged form cannot redirect elsewhere either.
    const forged = await fetch(`${h.url}/site/oauth2/authorize`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: KEY, response_type: 'code', redirect_uri: 'https://evil.test/cb', decision: 'approve' }),
    });
    expect(forged.status).toBe(400);
    expect(forged.headers.get('location')).toBeNull();
  });

  it('a bad response_type is reported to the (trusted) callback', async () => {
    const page = await getConsentPage(h.url, { client_id: KEY, response_type: 'token', state: 'q' });
    expect(page.status).toBe(302);
    const loc = new URL(page.location!);
    expect(loc.searchParams.get('error')).toBe('unsupported_response_type');
    expect(loc.searchParams.get('state')).toBe('q');
  });

  it('refuses an expired code (60 s on the sandbox clock)', async () => {
    const target = await decide(h.url, { client_id: KEY, response_type: 'code' }, 'approve');
    h.advance(61);
    const res = await postToken(h.url, { grant_type: 'authorization_code', code: target.searchParams.get('code')! }, DEV_AUTH);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
    expect(res.json.error_description).toMatch(/expired/);
  });

  it('binds the code to the redirect_uri sent to /authorize', async () => {
    const redirect = `${CALLBACK}/sub`;
    const target = await decide(h.url, { client_id: KEY, response_type: 'code', redirect_uri: redirect }, 'approve');
    expect(`${target.origin}${target.pathname}`).toBe(redirect);
    const code = target.searchParams.get('code')!;
    const wrong = await postToken(h.url, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, DEV_AUTH);
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe('invalid_grant');
    const missing = await postToken(h.url, { grant_type: 'authorization_code', code }, DEV_AUTH);
    expect(missing.json.error).toBe('invalid_grant');
    const right = await postToken(h.url, { grant_type: 'authorization_code', code, redirect_uri: redirect }, DEV_AUTH);
    expect(right.status).toBe(200);
  });

  it('verifies the PKCE S256 verifier', async () => {
    const pkce = createPkce();
    const params = { client_id: KEY, response_type: 'code', code_challenge: pkce.challenge, code_challenge_method: 'S256' };
    const code = (await decide(h.url, params, 'approve')).searchParams.get('code')!;
    const wrong = await postToken(h.url, { grant_type: 'authorization_code', code, code_verifier: createPkce().verifier }, DEV_AUTH);
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe('invalid_grant');
    const none = await postToken(h.url, { grant_type: 'authorization_code', code }, DEV_AUTH);
    expect(none.json.error).toBe('invalid_grant');
    const ok = await postToken(h.url, { grant_type: 'authorization_code', code, code_verifier: pkce.verifier }, DEV_AUTH);
    expect(ok.status).toBe(200);
  });

  it('a code issued to one consumer cannot be redeemed by another', async () => {
    h.sandbox.oauth.addConsumer({ key: 'other', secret: 'other-secret', name: 'Other', callbackUrl: 'http://other.test/cb', scopes: ['account'] });
    const code = (await decide(h.url, { client_id: KEY, response_type: 'code' }, 'approve')).searchParams.get('code')!;
    const res = await postToken(h.url, { grant_type: 'authorization_code', code }, basic('other', 'other-secret'));
    expect(res.json.error).toBe('invalid_grant');
  });
});

describe('sandbox OAuth 2.0: token endpoint rules', () => {
  let h: OAuthHarness;
  beforeAll(async () => {
    h = await startOAuthHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('accepts form bodies only: JSON is invalid_request', async () => {
    const res = await fetch(`${h.url}/site/oauth2/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: DEV_AUTH },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });

  it('authenticates the client by HTTP Basic or by client_id/client_secret in the body', async () => {
    const viaBasic = (await decide(h.url, { client_id: KEY, response_type: 'code' }, 'approve')).searchParams.get('code')!;
    expect((await postToken(h.url, { grant_type: 'authorization_code', code: viaBasic }, DEV_AUTH)).status).toBe(200);
    const viaBody = (await decide(h.url, { client_id: KEY, response_type: 'code' }, 'approve')).searchParams.get('code')!;
    const res = await postToken(h.url, { grant_type: 'authorization_code', code: viaBody, client_id: KEY, client_secret: SECRET });
    expect(res.status).toBe(200);
    expect(res.json.token_type).toBe('bearer');
  });

  it('refuses bad client credentials with 401 invalid_client, and two auth methods at once', async () => {
    const wrong = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: 'x' }, basic(KEY, 'wrong'));
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    const none = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: 'x', client_id: KEY });
    expect(none.status).toBe(401);
    expect(none.json.error).toBe('invalid_client');
    const both = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: 'x', client_secret: SECRET }, DEV_AUTH);
    expect(both.status).toBe(400);
    expect(both.json.error).toBe('invalid_request');
  });

  it('answers unsupported_grant_type for password and device grants', async () => {
    for (const grant of ['password', 'urn:ietf:params:oauth:grant-type:device_code']) {
      const res = await postToken(h.url, { grant_type: grant, username: 'alice', password: 'x' }, DEV_AUTH);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('unsupported_grant_type');
    }
  });

  it('rotates refresh tokens: the old one dies, the new one works', async () => {
    const first = await connect(h);
    const r1 = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, DEV_AUTH);
    expect(r1.status).toBe(200);
    expect(r1.json.refresh_token).not.toBe(first.refresh_token);
    expect(r1.json.access_token).not.toBe(first.access_token);
    expect(r1.json.scope).toBe(DEV_OAUTH_SCOPES.join(' '));
    const reuse = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, DEV_AUTH);
    expect(reuse.status).toBe(400);
    expect(reuse.json.error).toBe('invalid_grant');
    const r2 = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: r1.json.refresh_token }, DEV_AUTH);
    expect(r2.status).toBe(200);
    expect((await callApi(h.url, '/2.0/user', r2.json.access_token)).json.nickname).toBe('alice');
  });

  it('a refresh token belongs to its consumer', async () => {
    h.sandbox.oauth.addConsumer({ key: 'c2', secret: 's2', name: 'C2', callbackUrl: 'http://c2.test/cb', scopes: ['account'] });
    const first = await connect(h);
    const res = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, basic('c2', 's2'));
    expect(res.json.error).toBe('invalid_grant');
  });

  it('client_credentials works for private consumers only, acting as the owner', async () => {
    const pub = await postToken(h.url, { grant_type: 'client_credentials' }, DEV_AUTH);
    expect(pub.status).toBe(400);
    expect(pub.json.error).toBe('unauthorized_client');
    h.sandbox.oauth.addConsumer({ key: 'ci-bot', secret: 'ci-secret', name: 'CI bot', callbackUrl: 'http://ci.test/cb', scopes: ['account', 'repository'], private: true, ownerNickname: 'dave' });
    const priv = await postToken(h.url, { grant_type: 'client_credentials', client_id: 'ci-bot', client_secret: 'ci-secret' });
    expect(priv.status).toBe(200);
    expect(priv.json).toMatchObject({ token_type: 'bearer', expires_in: 7200, scope: 'account repository', scopes: 'account repository' });
    expect((await callApi(h.url, '/2.0/user', priv.json.access_token)).json.nickname).toBe('dave');
  });
});

describe('sandbox OAuth 2.0: non-rotating refresh tokens (before May 2026)', () => {
  it('returns the same refresh token, which keeps working', async () => {
    const h = await startOAuthHarness({ oauthRotateRefreshTokens: false });
    try {
      const first = await connect(h);
      for (let i = 0; i < 2; i++) {
        const r = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, DEV_AUTH);
        expect(r.status).toBe(200);
        expect(r.json.refresh_token).toBe(first.refresh_token);
        expect(r.json.access_token).not.toBe(first.access_token);
      }
    } finally {
      await h.close();
    }
  });
});

describe('sandbox OAuth 2.0: Bearer tokens on /2.0', () => {
  let h: OAuthHarness;
  beforeAll(async () => {
    h = await startOAuthHarness({ oauthAccessTokenTtlSeconds: 600 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers an expired access token with Bitbucket\'s 401 body, and the refresh token still works', async () => {
    const t = await connect(h);
    expect(t.expires_in).toBe(600);
    h.advance(601);
    const res = await callApi(h.url, '/2.0/user', t.access_token);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ type: 'error', error: { message: 'Access token expired. Use your refresh token to obtain a new access token.' } });
    const fresh = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, DEV_AUTH);
    expect((await callApi(h.url, '/2.0/user', fresh.json.access_token)).status).toBe(200);
  });

  it('refuses unknown tokens and tokens in the query string', async () => {
    const unknown = await callApi(h.url, '/2.0/user', 'not-a-token');
    expect(unknown.status).toBe(401);
    expect(unknown.json.type).toBe('error');
    expect(unknown.json.error.message).toMatch(/invalid/i);
    const t = await connect(h);
    const res = await fetch(`${h.url}/2.0/user?access_token=${encodeURIComponent(t.access_token)}`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.message).toMatch(/Authorization header/);
  });

  it('checks the consumer\'s scopes through the lattice with the real 403 body', async () => {
    h.sandbox.oauth.addConsumer({ key: 'narrow', secret: 'narrow-secret', name: 'Narrow', callbackUrl: 'http://narrow.test/cb', scopes: ['account', 'repository'] });
    const t = await connect(h, 'carol', 'narrow', 'narrow-secret');
    expect((await callApi(h.url, '/2.0/repositories/acme/web', t.access_token)).status).toBe(200);
    const prs = await callApi(h.url, '/2.0/repositories/acme/web/pullrequests', t.access_token);
    expect(prs.status).toBe(403);
    expect(prs.json).toEqual({
      type: 'error',
      error: { message: 'Your credentials lack one or more required privilege scopes.', detail: { required: ['pullrequest'], granted: ['account', 'repository'] } },
    });
    const emails = await callApi(h.url, '/2.0/user/emails', t.access_token);
    expect(emails.status).toBe(403);
    expect(emails.json.error.detail).toEqual({ required: ['email'], granted: ['account', 'repository'] });
    // pullrequest:write implies pullrequest (and repository:write): the dev consumer may list PRs.
    const dev = await connect(h, 'carol');
    expect((await callApi(h.url, '/2.0/repositories/acme/web/pullrequests', dev.access_token)).status).toBe(200);
  });
});

describe('sandbox OAuth 2.0: JWT bearer grant', () => {
  let h: OAuthHarness;
  let app: Awaited<ReturnType<typeof startFakeApp>>;
  beforeAll(async () => {
    h = await startOAuthHarness();
    app = await startFakeApp();
  });
  afterAll(async () => {
    await h.close();
    await app.close();
  });

  it('trades an installed app\'s JWT for an access token acting as the installation, without refresh token', async () => {
    const inst = await h.sandbox.install(app.descriptorUrl);
    const jwt = signAppJwt({ method: 'POST', pathAndQuery: '/site/oauth2/access_token', key: inst.key, clientKey: inst.clientKey, secret: inst.sharedSecret, iat: h.nowSeconds() });
    const res = await postToken(h.url, { grant_type: 'urn:bitbucket:oauth2:jwt' }, `JWT ${jwt}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 7200, scopes: 'account pullrequest:write repository:write', scope: 'account pullrequest:write repository:write' });
    expect((await callApi(h.url, '/2.0/repositories/acme/web/pullrequests', res.json.access_token)).status).toBe(200);
    // An app token has no user behind it.
    expect((await callApi(h.url, '/2.0/user', res.json.access_token)).status).toBe(401);

    const narrowJwt = signAppJwt({ method: 'POST', pathAndQuery: '/site/oauth2/access_token', key: inst.key, clientKey: inst.clientKey, secret: inst.sharedSecret, iat: h.nowSeconds() });
    const narrow = await postToken(h.url, { grant_type: 'urn:bitbucket:oauth2:jwt', scope: 'repository webhook' }, `JWT ${narrowJwt}`);
    expect(narrow.json.scope).toBe('repository');
    const prs = await callApi(h.url, '/2.0/repositories/acme/web/pullrequests', narrow.json.access_token);
    expect(prs.status).toBe(403);
    expect(prs.json.error.detail).toEqual({ required: ['pullrequest'], granted: ['repository'] });

    await h.sandbox.uninstall(inst.clientKey);
    expect((await callApi(h.url, '/2.0/repositories/acme/web', res.json.access_token)).status).toBe(401);
  });

  it('refuses a JWT signed with the wrong secret or for another request', async () => {
    const inst = await h.sandbox.install(app.descriptorUrl);
    const wrong = signAppJwt({ method: 'POST', pathAndQuery: '/site/oauth2/access_token', key: inst.key, clientKey: inst.clientKey, secret: 'not-the-secret', iat: h.nowSeconds() });
    const r1 = await postToken(h.url, { grant_type: 'urn:bitbucket:oauth2:jwt' }, `JWT ${wrong}`);
    expect(r1.status).toBe(401);
    expect(r1.json.error).toBe('invalid_client');
    const otherQsh = signAppJwt({ method: 'GET', pathAndQuery: '/2.0/user', key: inst.key, clientKey: inst.clientKey, secret: inst.sharedSecret, iat: h.nowSeconds() });
    const r2 = await postToken(h.url, { grant_type: 'urn:bitbucket:oauth2:jwt' }, `JWT ${otherQsh}`);
    expect(r2.status).toBe(401);
    const noJwt = await postToken(h.url, { grant_type: 'urn:bitbucket:oauth2:jwt' }, DEV_AUTH);
    expect(noJwt.status).toBe(401);
  });
});

describe('sandbox OAuth 2.0: App authorizations and revoke', () => {
  let h: OAuthHarness;
  beforeAll(async () => {
    h = await startOAuthHarness();
  });
  afterEach(() => {
    for (const u of h.sandbox.state.users) h.sandbox.oauth.revoke(u.nickname, KEY);
  });
  afterAll(async () => {
    await h.close();
  });

  it('sandbox.oauth.revoke kills the access and refresh tokens of that user only', async () => {
    const alice = await connect(h, 'alice');
    const bob = await connect(h, 'bob');
    expect(h.sandbox.oauth.listGrants('alice').map((g) => g.consumerKey)).toEqual([KEY]);
    expect(h.sandbox.oauth.revoke('alice', KEY)).toEqual({ accessTokens: 1, refreshTokens: 1 });
    expect(h.sandbox.oauth.listGrants('alice')).toEqual([]);
    expect((await callApi(h.url, '/2.0/user', alice.access_token)).status).toBe(401);
    const refresh = await postToken(h.url, { grant_type: 'refresh_token', refresh_token: alice.refresh_token }, DEV_AUTH);
    expect(refresh.status).toBe(400);
    expect(refresh.json.error).toBe('invalid_grant');
    expect((await callApi(h.url, '/2.0/user', bob.access_token)).status).toBe(200);
  });

  it('the personal settings page lists the grant and its Revoke button deletes the tokens', async () => {
    const t = await connect(h, 'alice');
    const home = await (await fetch(`${h.url}/`, { headers: { cookie: 'sandbox_user=alice' } })).text();
    expect(home).toContain('href="/account/settings/app-authorizations"');
    const page = await (await fetch(`${h.url}/account/settings/app-authorizations`, { headers: { cookie: 'sandbox_user=alice' } })).text();
    expect(page).toContain('Bosun (development)');
    expect(page).toContain(`id="revoke-${KEY}"`);
    const bobPage = await (await fetch(`${h.url}/account/settings/app-authorizations`, { headers: { cookie: 'sandbox_user=bob' } })).text();
    expect(bobPage).not.toContain(`id="revoke-${KEY}"`);

    const res = await fetch(`${h.url}/account/settings/app-authorizations/revoke`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'sandbox_user=alice' },
      body: new URLSearchParams(readHiddenInputs(page, '/account/settings/app-authorizations/revoke')),
    });
    expect(res.status).toBe(303);
    expect((await callApi(h.url, '/2.0/user', t.access_token)).status).toBe(401);
    expect((await postToken(h.url, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, DEV_AUTH)).json.error).toBe('invalid_grant');
    const after = await (await fetch(`${h.url}${res.headers.get('location')!}`, { headers: { cookie: 'sandbox_user=alice' } })).text();
    expect(after).toContain('No app authorizations.');
  });

  it('a code issued before the revoke cannot be redeemed after it', async () => {
    const code = (await decide(h.url, { client_id: KEY, response_type: 'code' }, 'approve')).searchParams.get('code')!;
    h.sandbox.oauth.revoke('alice', KEY);
    expect((await postToken(h.url, { grant_type: 'authorization_code', code }, DEV_AUTH)).json.error).toBe('invalid_grant');
  });
});

describe('sandbox OAuth 2.0: options', () => {
  it('overrides the dev callback URL and adds consumers from options; no dev consumer without seed users', async () => {
    const h = await startOAuthHarness({
      oauthDevCallbackUrl: 'http://127.0.0.1:45678/oauth/callback',
      oauthConsumers: [{ key: 'extra', secret: 'extra-secret', name: 'Extra', callbackUrl: 'http://extra.test/cb', scopes: ['account'] }],
    });
    try {
      expect(h.sandbox.oauth.getConsumer(KEY)!.callbackUrl).toBe('http://127.0.0.1:45678/oauth/callback');
      const target = await decide(h.url, { client_id: KEY, response_type: 'code' }, 'approve');
      expect(target.origin).toBe('http://127.0.0.1:45678');
      expect(h.sandbox.oauth.getConsumer('extra')!.ownerNickname).toBe('alice');
      const t = h.sandbox.oauth.issueTokens({ userNickname: 'bob', consumerKey: 'extra' });
      expect((await callApi(h.url, '/2.0/user', t.access_token)).json.nickname).toBe('bob');
    } finally {
      await h.close();
    }
    const bare = await startOAuthHarness({ seed: false });
    try {
      expect(bare.sandbox.oauth.getConsumer(KEY)).toBeUndefined();
    } finally {
      await bare.close();
    }
  });
});
