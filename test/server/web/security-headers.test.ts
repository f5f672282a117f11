import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSessionToken } from '../../../server/connect';
import { installFake, newInstallation, signInbound, type FakeInstallation } from '../../helpers/fake-host';
import { installIdOf, startBosun, type RunningBosun } from '../../helpers/start-bosun';
import { fakeBitbucketFetch, fakeClientDir, FUZZ_USER } from './fuzz-support';

const EVIL = 'https://evil.example';

describe('security headers on every response', () => {
  let bosun: RunningBosun;
  let a: FakeInstallation;
  let aInstallId: string;

  beforeAll(async () => {
    bosun = await startBosun({ worker: false, clientDir: fakeClientDir(), fetch: fakeBitbucketFetch });
    a = newInstallation(bosun.services.deps.descriptor.key);
    await installFake(bosun.url, bosun.services.deps.descriptor.key, a);
    aInstallId = await installIdOf(bosun, a.clientKey);
  });
  afterAll(async () => bosun.close());

  const pageUrl = '/pages/pr-panel?repoUuid=%7B6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f%7D&prId=7';
  const session = () =>
    mintSessionToken({ clientKey: a.clientKey, installId: aInstallId, userUuid: FUZZ_USER, accountId: null, page: 'pr-panel' }, bosun.services.deps.sessionKey, Math.floor(Date.now() / 1000));
  const requests = (): Array<[string, () => Promise<Response>]> => [
    ['root', () => fetch(`${bosun.url}/`, { headers: { origin: EVIL } })],
    ['descriptor', () => fetch(`${bosun.url}/atlassian-connect.json`, { headers: { origin: EVIL } })],
    ['healthz', () => fetch(`${bosun.url}/healthz`, { headers: { origin: EVIL } })],
    ['page', () => fetch(`${bosun.url}${pageUrl}&jwt=${signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'GET', url: pageUrl })}`, { headers: { origin: EVIL } })],
    ['asset', () => fetch(`${bosun.url}/assets/app.js`, { headers: { origin: EVIL } })],
    ['api 200', () => fetch(`${bosun.url}/api/agent/plan`, { method: 'POST', headers: { origin: EVIL, authorization: `Bearer ${session()}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello', repoUuid: '{6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f}', prId: 7 }) })],
    ['api 401', () => fetch(`${bosun.url}/api/audit`, { headers: { origin: EVIL } })],
    ['api 404', () => fetch(`${bosun.url}/api/nothing`, { headers: { origin: EVIL } })],
    ['page 401', () => fetch(`${bosun.url}${pageUrl}`, { headers: { origin: EVIL } })],
    ['webhook 401', () => fetch(`${bosun.url}/webhooks/bitbucket`, { method: 'POST', headers: { origin: EVIL, 'content-type': 'application/json' }, body: '{}' })],
    ['oauth 400', () => fetch(`${bosun.url}/oauth/callback?state=x`, { headers: { origin: EVIL } })],
    ['preflight', () => fetch(`${bosun.url}/api/audit`, { method: 'OPTIONS', headers: { origin: EVIL, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } })],
    ['unknown 404', () => fetch(`${bosun.url}/nothing/here`, { headers: { origin: EVIL } })],
  ];

  it('sends nosniff everywhere and never X-Frame-Options (Bitbucket frames the pages) or HSTS over http', async () => {
    for (const [name, send] of requests()) {
      const res = await send();
      expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), name).toBeNull();
      expect(res.headers.get('strict-transport-security'), name).toBeNull();
      expect(res.headers.get('x-powered-by'), name).toBeNull();
    }
  });

  it('keeps CORS closed: an Origin from elsewhere, even a preflight, gets no Access-Control-* header', async () => {
    for (const [name, send] of requests()) {
      const res = await send();
      const cors = [...res.headers.keys()].filter((k) => k.startsWith('access-control-'));
      expect(cors, name).toEqual([]);
    }
  });

  it('marks every error response Cache-Control: no-store', async () => {
    let errors = 0;
    for (const [name, send] of requests()) {
      const res = await send();
      if (res.status < 400) continue;
      errors += 1;
      expect(res.headers.get('cache-control'), `${name} ${res.status}`).toBe('no-store');
    }
    expect(errors).toBeGreaterThanOrEqual(6);
  });

  it('leaves the page CSP to the pages router: framing is governed by its frame-ancestors, not by X-Frame-Options', async () => {
    const res = await fetch(`${bosun.url}${pageUrl}&jwt=${signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'GET', url: pageUrl })}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self' https?:\/\/\S+/);
    expect(res.headers.get('x-frame-options')).toBeNull();
  });
});

describe('HSTS where Bosun is served over https', () => {
  let bosun: RunningBosun;
  beforeAll(async () => {
    bosun = await startBosun({ worker: false, clientDir: fakeClientDir(), env: { BOSUN_BASE_URL: 'https://bosun.example.test' } });
  });
  afterAll(async () => bosun.close());

  it('sends Strict-Transport-Security on answers and errors alike', async () => {
    for (const path of ['/', '/healthz', '/api/audit', '/nothing']) {
      const res = await fetch(`${bosun.url}${path}`);
      expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
