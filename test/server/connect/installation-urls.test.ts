import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInstallationUrl } from '../../../server/connect/installation-url-policy';
import { installedBody, installFake, newInstallation, postInstalled, signInbound } from '../../helpers/fake-host';
import { startBosun, type RunningBosun } from '../../helpers/start-bosun';

const PROD = { allowedHosts: ['bitbucket.org', 'api.bitbucket.org', '*.atlassian.example', 'proxy.example:8443'], production: true };
const DEV = { allowedHosts: ['bitbucket.org', 'api.bitbucket.org', 'localhost', '127.0.0.1'], production: false };

describe('installation URL policy', () => {
  it.each([
    ['https://bitbucket.org', null],
    ['https://api.bitbucket.org', null],
    ['https://api.bitbucket.org:443', null],
    ['https://eu.atlassian.example', null],
    ['https://proxy.example:8443', null],
    ['http://bitbucket.org', 'must use https'],
    ['https://bitbucket.org:8443', 'not allowed'],
    ['https://proxy.example', 'not allowed'],
    ['https://user:pw@bitbucket.org', 'user name or password'],
    ['https://bitbucket.org@evil.example', 'user name or password'],
    ['https://bitbucket.org.evil.example', 'not allowed'],
    ['https://evilbitbucket.org', 'not allowed'],
    ['https://atlassian.example', 'not allowed'],
    ['https://bitbucket.org/?x=1', 'query or fragment'],
    ['http://localhost:4399', 'must use https'],
    ['ftp://bitbucket.org', 'must use https'],
    ['not a url', 'not a URL'],
  ])('production: %s', (url, problem) => {
    const result = checkInstallationUrl(url, PROD);
    if (problem === null) expect(result).toBeNull();
    else expect(result).toContain(problem);
  });

  it.each([
    ['http://localhost:4399', null],
    ['http://127.0.0.1:61234', null],
    ['https://bitbucket.org', null],
    ['http://bitbucket.org:8080', 'not allowed'],
    ['http://attacker.example:4000', 'not allowed'],
    ['http://admin:secret@localhost:4000', 'user name or password'],
  ])('development: %s', (url, problem) => {
    const result = checkInstallationUrl(url, DEV);
    if (problem === null) expect(result).toBeNull();
    else expect(result).toContain(problem);
  });
});

describe('installs in production accept only Bitbucket\'s own hosts, whole', () => {
  let bosun: RunningBosun;
  let appKey: string;
  beforeAll(async () => {
    bosun = await startBosun({
      worker: false,
      env: { NODE_ENV: 'production', BOSUN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, BITBUCKET_SITE_URL: 'https://bitbucket.org' },
    });
    appKey = bosun.services.deps.descriptor.key;
  });
  afterAll(async () => bosun.close());

  const install = async (baseUrl: string, baseApiUrl = 'https://api.bitbucket.org') => {
    const inst = newInstallation(appKey, baseUrl);
    const token = signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method: 'POST', url: '/connect/installed' });
    const res = await postInstalled(bosun.url, { ...installedBody(appKey, inst), baseApiUrl }, token);
    const body = res.status === 204 ? null : ((await res.json()) as { error: { code: string; message: string } });
    return { status: res.status, body, stored: await bosun.services.deps.tenants.get(inst.clientKey) };
  };

  it.each([
    ['http://bitbucket.org', 'https://api.bitbucket.org', 'baseUrl must use https'],
    ['https://bitbucket.org:8443', 'https://api.bitbucket.org', 'not allowed'],
    ['https://user:pw@bitbucket.org', 'https://api.bitbucket.org', 'user name or password'],
    ['https://bitbucket.org', 'http://localhost:4399', 'baseApiUrl must use https'],
    ['https://bitbucket.org', 'https://api.bitbucket.org:444', 'not allowed'],
  ])('refuses baseUrl %s / baseApiUrl %s, storing nothing', async (baseUrl, baseApiUrl, message) => {
    const r = await install(baseUrl, baseApiUrl);
    expect(r.status).toBe(403);
    expect(r.body?.error.code).toBe('LIFECYCLE_HOST_NOT_ALLOWED');
    expect(r.body?.error.message).toContain(message);
    expect(r.stored).toBeNull();
  });

  it('accepts https://bitbucket.org with https://api.bitbucket.org', async () => {
    const r = await install('https://bitbucket.org');
    expect(r.status).toBe(204);
    expect(r.stored?.baseApiUrl).toBe('https://api.bitbucket.org');
  });
});

describe('the OAuth consumer secret goes to the configured token endpoint only', () => {
  const SITE = 'http://127.0.0.1:9/bitbucket-site';
  const CONSUMER = { id: 'consumer-id', secret: 'consumer-secret-do-not-leak-0123456789' };
  const basic = `Basic ${Buffer.from(`${CONSUMER.id}:${CONSUMER.secret}`).toString('base64')}`;
  const requests: Array<{ url: string; authorization: string | null; body: string }> = [];
  let bosun: RunningBosun;
  let appKey: string;

  beforeAll(async () => {
    const recordingFetch: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const authorization = new Headers(init?.headers).get('authorization');
      requests.push({ url, authorization, body: typeof init?.body === 'string' ? init.body : '' });
      if (url === `${SITE}/site/oauth2/access_token`) {
        return new Response(JSON.stringify({ access_token: 'new-access', refresh_token: 'new-refresh', expires_in: 7200, scopes: 'account' }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }
      return new Response('{}', { status: 404, headers: { 'content-type': 'application/json' } });
    };
    bosun = await startBosun({
      worker: false,
      fetch: recordingFetch,
      env: { BITBUCKET_SITE_URL: SITE, BITBUCKET_OAUTH_CLIENT_ID: CONSUMER.id, BITBUCKET_OAUTH_CLIENT_SECRET: CONSUMER.secret },
    });
    appKey = bosun.services.deps.descriptor.key;
  });
  afterAll(async () => bosun.close());

  it('a refresh for an installation that names another host posts the secret to the configured endpoint, never to that host', async () => {
    // Allowed outside production (loopback, any port): exactly the case the probe found.
    const inst = newInstallation(appKey, 'http://localhost:4399');
    await installFake(bosun.url, appKey, inst);
    const userUuid = '{22222222-2222-4222-8222-222222222222}';
    const profile = { uuid: '{33333333-3333-4333-8333-333333333333}', accountId: '557058:x', displayName: 'X', nickname: 'x', avatarUrl: null, email: null };
    await bosun.services.deps.vault.save({ clientKey: inst.clientKey }, userUuid, profile, {
      accessToken: 'old-access',
      refreshToken: 'old-refresh',
      expiresAt: new Date(Date.now() - 60_000),
      scopes: ['account'],
    });
    expect(await bosun.services.deps.vault.getAccessToken({ clientKey: inst.clientKey }, userUuid)).toBe('new-access');

    const withSecret = requests.filter((r) => r.authorization === basic);
    expect(withSecret.length).toBe(1);
    expect(withSecret.every((r) => r.url === `${SITE}/site/oauth2/access_token`)).toBe(true);
    expect(requests.some((r) => r.url.includes('localhost:4399'))).toBe(false);
    expect(requests.some((r) => r.body.includes(CONSUMER.secret))).toBe(false);
  });

  it('the consent screen is Bitbucket\'s configured authorize endpoint, whatever the installation says', async () => {
    const inst = newInstallation(appKey, 'http://localhost:4399');
    await installFake(bosun.url, appKey, inst);
    const ticket = bosun.services.deps.oauth.createStartTicket({ clientKey: inst.clientKey, userUuid: '{22222222-2222-4222-8222-222222222222}' });
    const { authorizeUrl } = await bosun.services.deps.oauth.begin(ticket);
    expect(authorizeUrl.startsWith(`${SITE}/site/oauth2/authorize?`)).toBe(true);
  });

  it('iframe pages load the configured host script and a CSP script-src that names exactly it', async () => {
    const inst = newInstallation(appKey, 'http://localhost:4399');
    await installFake(bosun.url, appKey, inst);
    const url = '/pages/pr-panel?repoUuid=%7B6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f%7D&prId=1';
    const res = await fetch(`${bosun.url}${url}&jwt=${signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method: 'GET', url })}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src 'self' ${SITE}/atlassian-connect/all.js;`);
    expect(csp).toContain("frame-ancestors 'self' http://127.0.0.1:9");
    const html = await res.text();
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toContain(`${SITE}/atlassian-connect/all.js`);
    expect(scripts.every((src) => src?.startsWith('/assets/') || src === `${SITE}/atlassian-connect/all.js`)).toBe(true);
    expect(html).not.toContain('localhost:4399');
  });
});

describe('lifecycle calls are rate-limited per source', () => {
  const startLimited = (env: Record<string, string>) => startBosun({ worker: false, env: { BOSUN_LIFECYCLE_RATE_LIMIT: '3', ...env } });
  const installFrom = async (bosun: RunningBosun, forwardedFor?: string) => {
    const appKey = bosun.services.deps.descriptor.key;
    const inst = newInstallation(appKey);
    const token = signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method: 'POST', url: '/connect/installed' });
    return fetch(`${bosun.url}/connect/installed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${token}`, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      body: JSON.stringify(installedBody(appKey, inst)),
    });
  };

  it('answers 429 with Retry-After past the limit, and another source (through a trusted proxy) is unaffected', async () => {
    const bosun = await startLimited({});
    try {
      for (let i = 0; i < 3; i++) expect((await installFrom(bosun, '203.0.113.7')).status).toBe(204);
      const refused = await installFrom(bosun, '203.0.113.7');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_REQUESTS');
      expect((await installFrom(bosun, '198.51.100.9')).status).toBe(204);
    } finally {
      await bosun.close();
    }
  });

  it('a client that is not a trusted proxy cannot pick its own source with X-Forwarded-For', async () => {
    const bosun = await startLimited({ BOSUN_TRUST_PROXY: 'false' });
    try {
      for (let i = 0; i < 3; i++) expect((await installFrom(bosun, `203.0.113.${i}`)).status).toBe(204);
      expect((await installFrom(bosun, '203.0.113.99')).status).toBe(429);
    } finally {
      await bosun.close();
    }
  });
});
