import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSessionToken } from '../../../server/connect';
import { installFake, newInstallation, signInbound, unsignedToken, type FakeInstallation } from '../../helpers/fake-host';
import { installIdOf, startBosun, type RunningBosun } from '../../helpers/start-bosun';
import { tempDir } from '../../helpers/test-databases';

const REPO = '{6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f}';
const USER = '{11111111-1111-4111-8111-111111111111}';

function fakeClientDir(): string {
  const dir = tempDir('bosun-client-');
  for (const page of ['pr-panel', 'repo-dashboard', 'admin-settings', 'personal-settings']) {
    mkdirSync(path.join(dir, page), { recursive: true });
    writeFileSync(path.join(dir, page, 'index.html'), `<html><head><title>${page}</title></head><body><div id="root"></div></body></html>`);
  }
  return dir;
}

describe('inbound authentication: iframes, API sessions, webhooks', () => {
  let bosun: RunningBosun;
  let a: FakeInstallation;
  const installIds = new Map<string, string>();
  let b: FakeInstallation;
  let appKey: string;
  let bitbucket: http.Server;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    bosun = await startBosun({ clientDir: fakeClientDir() });
    appKey = bosun.services.deps.descriptor.key;
    // Admin settings ask Bitbucket whether the viewer is a workspace admin: here USER owns every workspace.
    bitbucket = http.createServer((req, res) => {
      const admin = /^\/2\.0\/workspaces\/[^/]+\/permissions/.test(req.url ?? '');
      res.writeHead(admin ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(admin ? { values: [{ type: 'workspace_membership', permission: 'owner', user: { type: 'user', uuid: USER } }] } : { type: 'error', error: { message: 'Not found' } }));
    });
    await new Promise<void>((resolve) => bitbucket.listen(0, '127.0.0.1', resolve));
    const bitbucketUrl = `http://127.0.0.1:${(bitbucket.address() as AddressInfo).port}`;
    a = newInstallation(appKey, bitbucketUrl);
    b = newInstallation(appKey, bitbucketUrl);
    await installFake(bosun.url, appKey, a);
    await installFake(bosun.url, appKey, b);
    for (const inst of [a, b]) installIds.set(inst.clientKey, await installIdOf(bosun, inst.clientKey));
  });
  afterAll(async () => {
    await bosun.close();
    await new Promise<void>((resolve) => bitbucket.close(() => resolve()));
  });

  const pageUrl = (page = 'pr-panel', user = USER) =>
    `/pages/${page}?repoUuid=${encodeURIComponent(REPO)}&prId=7&userUuid=${encodeURIComponent(user)}&accountId=557058%3Aalice`;
  const getPage = (url: string, jwt: string) => fetch(`${bosun.url}${url}&jwt=${encodeURIComponent(jwt)}`);
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  describe('iframe pages', () => {
    it('serve the page with a session and the verified context', async () => {
      const url = pageUrl();
      const res = await getPage(url, signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'GET', url }));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain('frame-ancestors');
      const html = await res.text();
      expect(html).toMatch(/<meta name="bosun-session" content="[^"]+">/);
      const context = JSON.parse(/<script id="bosun-context" type="application\/json">(.*?)<\/script>/.exec(html)![1]!);
      // Bitbucket's site comes from configuration, never from what an installation says.
      const site = bosun.config.bitbucket.siteUrl;
      expect(context).toMatchObject({ page: 'pr-panel', repoUuid: REPO, prId: '7', userUuid: USER, hostBaseUrl: site });
      expect(html).toContain(`<script src="${site}/atlassian-connect/all.js"></script>`);
    });

    it.each([
      ['expired', () => signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'GET', url: pageUrl(), nowSeconds: now() - 7200 }), 'JWT_EXPIRED'],
      ['wrong signature', () => signInbound({ clientKey: a.clientKey, secret: 'not-the-secret-0123456789', method: 'GET', url: pageUrl() }), 'JWT_SIGNATURE'],
      ['unknown issuer', () => signInbound({ clientKey: 'ari:cloud:bitbucket::app/{x}/nobody', secret: 'whatever-secret-0123', method: 'GET', url: pageUrl() }), 'JWT_UNKNOWN_ISSUER'],
      ['alg none', () => unsignedToken({ iss: a.clientKey, exp: now() + 600, qsh: 'x' }), 'JWT_ALGORITHM'],
      // The viewer swapped the userUuid after Bitbucket signed the URL.
      ['bad qsh', () => signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'GET', url: pageUrl('pr-panel', '{22222222-2222-4222-8222-222222222222}') }), 'JWT_QSH'],
      // Tenant B's secret used to sign a token claiming to be tenant A.
      ['cross-tenant', () => signInbound({ clientKey: a.clientKey, secret: b.sharedSecret, method: 'GET', url: pageUrl() }), 'JWT_SIGNATURE'],
      ['wrong audience', () => signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'GET', url: pageUrl(), extraClaims: { aud: b.clientKey } }), 'JWT_AUDIENCE'],
      ['garbage', () => 'not.a.jwt', 'JWT_MALFORMED'],
    ])('refuse a %s token with 401', async (_name, token, code) => {
      const res = await getPage(pageUrl(), token());
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe(code);
    });

    it('refuse a request with no token and name unknown pages 404', async () => {
      const res = await fetch(`${bosun.url}${pageUrl()}`);
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('JWT_MISSING');
      const url = '/pages/nope?userUuid=x';
      expect((await getPage(url, signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'GET', url }))).status).toBe(404);
    });
  });

  describe('API sessions', () => {
    const key = () => bosun.services.deps.sessionKey;
    const session = (clientKey: string, page: 'pr-panel' | 'admin-settings' | 'personal-settings', at = now()) =>
      mintSessionToken({ clientKey, installId: installIds.get(clientKey) ?? 'not-installed', userUuid: USER, accountId: '557058:alice', page }, key(), at);
    const call = (path: string, token?: string) =>
      fetch(`${bosun.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    it('answer with the session tenant\'s own data', async () => {
      const res = await call('/api/admin-settings', session(a.clientKey, 'admin-settings'));
      expect(res.status).toBe(200);
      const body = (await res.json()) as { tenant: { workspaceUuid: string } };
      expect(body.tenant.workspaceUuid).toBe(a.workspaceUuid);
      const other = (await (await call('/api/admin-settings', session(b.clientKey, 'admin-settings'))).json()) as typeof body;
      expect(other.tenant.workspaceUuid).toBe(b.workspaceUuid);
    });

    it('refuse missing, tampered, expired and wrong-page sessions with 401', async () => {
      expect(await errorCode(await call('/api/admin-settings'))).toBe('SESSION_INVALID');
      const token = session(a.clientKey, 'admin-settings');
      const [h, p, s] = token.split('.');
      const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: b.clientKey })).toString('base64url');
      const tampered = await call('/api/admin-settings', `${h}.${forged}.${s}`);
      expect(tampered.status).toBe(401);
      const expired = await call('/api/admin-settings', session(a.clientKey, 'admin-settings', now() - 3600));
      expect(expired.status).toBe(401);
      expect(await errorCode(expired)).toBe('SESSION_EXPIRED');
      const wrongPage = await call('/api/admin-settings', session(a.clientKey, 'pr-panel'));
      expect(wrongPage.status).toBe(401);
      expect(await errorCode(wrongPage)).toBe('SESSION_SCOPE');
      // An iframe JWT is not a session token.
      const jwt = signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'GET', url: '/api/admin-settings' });
      expect((await call('/api/admin-settings', jwt)).status).toBe(401);
    });

    it('validate query parameters with a 400 that names them, and 404 unknown routes', async () => {
      const res = await call('/api/pr-panel?repoUuid=nope&prId=-1', session(a.clientKey, 'pr-panel'));
      expect(res.status).toBe(400);
      const message = ((await res.json()) as { error: { message: string } }).error.message;
      expect(message).toContain('repoUuid');
      expect(message).toContain('prId');
      expect((await call('/api/nothing', session(a.clientKey, 'pr-panel'))).status).toBe(404);
    });

    it('personal settings show the viewer the session was minted for', async () => {
      const body = (await (await call('/api/personal-settings', session(a.clientKey, 'personal-settings'))).json()) as { viewer: { uuid: string }; connection: { status: string } };
      expect(body.viewer.uuid).toBe(USER);
      expect(body.connection.status).toBe('not_connected');
    });
  });

  describe('webhooks', () => {
    const user = { type: 'user', uuid: USER, account_id: '557058:alice', display_name: 'Alice' };
    const data = {
      actor: user,
      repository: { type: 'repository', uuid: '{cbddcb41-064e-4190-9685-c0540c2ec622}', full_name: 'acme/web' },
      pullrequest: {
        type: 'pullrequest', id: 2, title: 'Fix', state: 'OPEN', author: user,
        source: { branch: { name: 'fix' }, commit: { hash: '26240d6b7e74' } },
        destination: { branch: { name: 'main' }, commit: { hash: 'aaaaaaaaaaaa' } },
        participants: [{ role: 'REVIEWER', approved: true, state: 'approved', user }],
      },
      approval: { date: '2026-11-22T10:00:00Z', user },
    };
    const deliver = (opts: { token?: string | null; event?: string; headerEvent?: string; requestUuid?: string | null; body?: unknown }) => {
      const token = opts.token === undefined ? signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'POST', url: '/webhooks/bitbucket' }) : opts.token;
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-event-key': opts.headerEvent ?? 'pullrequest:approved', 'x-attempt-number': '1' };
      if (token) headers.authorization = `JWT ${token}`;
      if (opts.requestUuid !== null) headers['x-request-uuid'] = opts.requestUuid ?? randomUUID();
      return fetch(`${bosun.url}/webhooks/bitbucket`, { method: 'POST', headers, body: JSON.stringify(opts.body ?? { event: opts.event ?? 'pullrequest:approved', data }) });
    };

    it('store a verified delivery once, acknowledging redeliveries', async () => {
      const uuid = randomUUID();
      expect((await deliver({ requestUuid: uuid })).status).toBe(204);
      expect((await deliver({ requestUuid: uuid })).status).toBe(204);
      const recent = await bosun.services.deps.deliveries.listRecent(a.clientKey, 50);
      expect(recent.filter((d) => d.requestUuid === uuid)).toHaveLength(1);
      expect(recent[0]).toMatchObject({ eventKey: 'pullrequest:approved', pullrequestId: 2, repositoryUuid: '{cbddcb41-064e-4190-9685-c0540c2ec622}' });
      expect(await bosun.services.deps.deliveries.count(b.clientKey)).toBe(0);
    });

    it('refuse unsigned, mis-signed and wrong-path tokens with 401', async () => {
      expect((await deliver({ token: null })).status).toBe(401);
      expect((await deliver({ token: signInbound({ clientKey: a.clientKey, secret: b.sharedSecret, method: 'POST', url: '/webhooks/bitbucket' }) })).status).toBe(401);
      const otherPath = signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'POST', url: '/connect/installed' });
      const res = await deliver({ token: otherPath });
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('JWT_QSH');
    });

    it('refuse malformed deliveries with 400 and say why', async () => {
      expect((await deliver({ body: { nothing: true } })).status).toBe(400);
      expect((await deliver({ headerEvent: 'repo:push' })).status).toBe(400);
      expect((await deliver({ requestUuid: null })).status).toBe(400);
      const bad = await deliver({ body: { event: 'pullrequest:approved', data: { actor: {} } } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('pullrequest:approved');
    });
  });
});
