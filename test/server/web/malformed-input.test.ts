import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSessionToken, type PageName } from '../../../server/connect';
import { installedBody, installFake, newInstallation, postInstalled, signInbound, type FakeInstallation } from '../../helpers/fake-host';
import { installIdOf, startBosun, type RunningBosun } from '../../helpers/start-bosun';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { countRows, fakeBitbucketFetch, fakeClientDir, FUZZ_USER, sendRaw, type RawRequest } from './fuzz-support';

const REPO = '{6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f}';

describe.each(testDatabaseKinds())('malformed input is a 4xx with a clear code (%s)', (kind) => {
  let bosun: RunningBosun;
  let a: FakeInstallation;
  let aInstallId: string;
  let appKey: string;
  const agent = new http.Agent({ keepAlive: true });
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    bosun = await startBosun({
      database: kind,
      worker: false,
      clientDir: fakeClientDir(),
      fetch: fakeBitbucketFetch,
      env: { BITBUCKET_OAUTH_CLIENT_ID: 'fuzz-client', BITBUCKET_OAUTH_CLIENT_SECRET: 'fuzz-secret', BOSUN_RATE_LIMIT_PER_MINUTE: '0' },
    });
    appKey = bosun.services.deps.descriptor.key;
    a = newInstallation(appKey);
    await installFake(bosun.url, appKey, a);
    aInstallId = await installIdOf(bosun, a.clientKey);
  });
  afterAll(async () => {
    agent.destroy();
    await bosun.close();
  });

  const session = (page: PageName) =>
    mintSessionToken({ clientKey: a.clientKey, installId: aInstallId, userUuid: FUZZ_USER, accountId: '557058:alice', page }, bosun.services.deps.sessionKey, now());
  const send = (req: Partial<RawRequest> & { path: string }) => sendRaw(bosun.url, agent, { method: 'GET', headers: {}, body: null, ...req });
  const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;
  const errorLogs = () => bosun.logLines.filter((l) => (JSON.parse(l) as { level: string }).level === 'error');

  const planPost = (headers: Record<string, string>, body: Buffer) =>
    send({ method: 'POST', path: '/api/agent/plan', headers: { authorization: `Bearer ${session('pr-panel')}`, 'content-type': 'application/json', ...headers }, body });
  const planJson = Buffer.from(JSON.stringify({ text: 'approve', repoUuid: REPO, prId: 1 }));

  it('answers a body that lies about its Content-Encoding with 400 BODY_ENCODING_INVALID, on every kind of route', async () => {
    for (const encoding of ['gzip', 'deflate']) {
      const res = await planPost({ 'content-encoding': encoding }, planJson);
      expect(res.status).toBe(400);
      expect(errorOf(res.body).code).toBe('BODY_ENCODING_INVALID');
    }
    const webhook = await send({
      method: 'POST',
      path: '/webhooks/bitbucket',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `JWT ${signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'POST', url: '/webhooks/bitbucket' })}` },
      body: Buffer.from('{"event":"x"}'),
    });
    expect(webhook.status).toBe(400);
    expect(errorOf(webhook.body).code).toBe('BODY_ENCODING_INVALID');
    const installed = await send({ method: 'POST', path: '/connect/installed', headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' }, body: gzipSync('{}') });
    expect(installed.status).toBe(400);
    expect(errorOf(installed.body).code).toBe('BODY_ENCODING_INVALID');
    expect(errorLogs()).toEqual([]);
  });

  it('still reads honest gzip and deflate bodies, and names unsupported encodings and charsets with 415', async () => {
    const gz = await planPost({ 'content-encoding': 'gzip' }, gzipSync(JSON.stringify({ text: 'x', repoUuid: 'nope', prId: 1 })));
    expect(gz.status).toBe(400);
    expect(errorOf(gz.body).message).toContain('repoUuid');
    const df = await planPost({ 'content-encoding': 'deflate' }, deflateSync(JSON.stringify({ text: 'x', repoUuid: 'nope', prId: 1 })));
    expect(errorOf(df.body).message).toContain('repoUuid');
    const br = await planPost({ 'content-encoding': 'br' }, planJson);
    expect(br.status).toBe(415);
    expect(errorOf(br.body).code).toBe('BODY_ENCODING_UNSUPPORTED');
    const charset = await planPost({ 'content-type': 'application/json; charset=latin-9' }, planJson);
    expect(charset.status).toBe(415);
    expect(errorOf(charset.body).code).toBe('BODY_CHARSET_UNSUPPORTED');
    const big = await planPost({}, Buffer.from(JSON.stringify({ text: 'x'.repeat(100_000) })));
    expect(big.status).toBe(413);
    expect(errorOf(big.body).code).toBe('BODY_TOO_LARGE');
  });

  it('answers a path parameter that is not valid percent-encoding with 400 URL_INVALID', async () => {
    const job = await send({ path: '/api/agent/jobs/%ff', headers: { authorization: `Bearer ${session('pr-panel')}` } });
    expect(job.status).toBe(400);
    expect(errorOf(job.body).code).toBe('URL_INVALID');
    const page = await send({ path: '/pages/%E0%A4%A' });
    expect(page.status).toBe(400);
    expect(errorOf(page.body).code).toBe('URL_INVALID');
    expect(errorLogs()).toEqual([]);
  });

  it('refuses NUL bytes in query and body fields at the schema, before any SQL', async () => {
    const before = await countRows(bosun.services.db);
    for (const q of ['repo=%00', 'actor=a%00b', 'tool=%00x']) {
      const res = await send({ path: `/api/audit?${q}`, headers: { authorization: `Bearer ${session('admin-settings')}` } });
      expect(res.status, q).toBe(400);
      expect(errorOf(res.body)).toMatchObject({ code: 'REQUEST_INVALID', message: expect.stringContaining('NUL') });
    }
    const plan = { summary: 'Approve', source: 'button', steps: [{ tool: 'pullRequest.approve', input: { repo: REPO, pullRequestId: 1 } }] };
    const execute = (body: unknown) =>
      send({
        method: 'POST',
        path: '/api/agent/execute',
        headers: { authorization: `Bearer ${session('pr-panel')}`, 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(body)),
      });
    for (const body of [
      { plan, idempotencyKey: `key\u0000${randomUUID()}`, confirmed: true },
      { plan: { ...plan, summary: 'a\u0000' }, idempotencyKey: randomUUID(), confirmed: true },
      { plan: { ...plan, steps: [{ tool: 'pullRequest.approve', input: { repo: REPO, nested: ['\u0000'] } }] }, idempotencyKey: randomUUID(), confirmed: true },
      { plan: { ...plan, steps: [{ tool: 'pullRequest.approve', input: { ['k\u0000']: 1 } }] }, idempotencyKey: randomUUID(), confirmed: true },
      { plan: { ...plan, summary: 'lone \ud800 surrogate' }, idempotencyKey: randomUUID(), confirmed: true },
    ]) {
      const res = await execute(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res.body).code).toBe('REQUEST_INVALID');
    }
    const approve = await send({
      method: 'POST',
      path: '/api/pr-panel/approve',
      headers: { authorization: `Bearer ${session('pr-panel')}`, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ repoUuid: REPO, prId: 1, idempotencyKey: 'abcdefgh\u0000' })),
    });
    expect(approve.status).toBe(400);
    expect(await countRows(bosun.services.db)).toEqual(before);
    expect(errorLogs()).toEqual([]);
  });

  it('refuses a JWT whose issuer could never be a clientKey with 401, without looking it up', async () => {
    for (const iss of ['a\u0000b', 'x'.repeat(300)]) {
      const url = '/pages/pr-panel?userUuid=x';
      const jwt = signInbound({ clientKey: iss, secret: 'whatever-secret-0123', method: 'GET', url });
      const page = await send({ path: `${url}&jwt=${encodeURIComponent(jwt)}` });
      expect(page.status).toBe(401);
      expect(errorOf(page.body).code).toBe('JWT_MALFORMED');
      const hook = await send({
        method: 'POST',
        path: '/webhooks/bitbucket',
        headers: { 'content-type': 'application/json', authorization: `JWT ${signInbound({ clientKey: iss, secret: 'whatever-secret-0123', method: 'POST', url: '/webhooks/bitbucket' })}` },
        body: Buffer.from('{}'),
      });
      expect(hook.status).toBe(401);
      const uninstall = await send({
        method: 'POST',
        path: '/connect/uninstalled',
        headers: { 'content-type': 'application/json', authorization: `JWT ${signInbound({ clientKey: iss, secret: 'whatever-secret-0123', method: 'POST', url: '/connect/uninstalled' })}` },
        body: Buffer.from(JSON.stringify({ eventType: 'uninstalled', key: appKey, clientKey: 'ok' })),
      });
      expect(uninstall.status).toBe(401);
    }
    expect(errorLogs()).toEqual([]);
  });

  it('refuses an installed payload with a NUL in its clientKey, or fields longer than their columns, with 400 and stores nothing', async () => {
    const before = await countRows(bosun.services.db);
    const inst = newInstallation(appKey);
    const cases = [
      { ...inst, clientKey: `${inst.clientKey}\u0000` },
      inst,
    ];
    const overrides = [{}, { principal: { type: 'team', uuid: inst.workspaceUuid, username: 'acme', display_name: 'A'.repeat(300) } }];
    for (const [i, c] of cases.entries()) {
      const token = signInbound({ clientKey: c.clientKey, secret: c.sharedSecret, method: 'POST', url: '/connect/installed' });
      const res = await postInstalled(bosun.url, installedBody(appKey, c, overrides[i]), token);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('LIFECYCLE_BAD_BODY');
    }
    expect(await countRows(bosun.services.db)).toEqual(before);
  });

  describe('webhook deliveries whose fields do not fit their columns', () => {
    const pr = { type: 'pullrequest', id: 2, title: 'Fix', state: 'OPEN', source: { branch: { name: 'fix' } }, destination: { branch: { name: 'main' } } };
    const data = (overrides: Record<string, unknown> = {}) => ({
      actor: { type: 'user', uuid: FUZZ_USER },
      repository: { type: 'repository', uuid: REPO, full_name: 'acme/web' },
      pullrequest: pr,
      approval: { user: { type: 'user', uuid: FUZZ_USER } },
      ...overrides,
    });
    const deliver = (body: unknown, headers: Record<string, string> = {}) =>
      send({
        method: 'POST',
        path: '/webhooks/bitbucket',
        headers: {
          'content-type': 'application/json',
          'x-request-uuid': randomUUID(),
          authorization: `JWT ${signInbound({ clientKey: a.clientKey, secret: a.sharedSecret, method: 'POST', url: '/webhooks/bitbucket' })}`,
          ...headers,
        },
        body: Buffer.from(JSON.stringify(body)),
      });

    it('refuse a hook uuid, repository uuid or pull request id too long for its column with 400, storing nothing', async () => {
      const before = await countRows(bosun.services.db);
      const cases: Array<[unknown, Record<string, string>]> = [
        [{ event: 'pullrequest:approved', data: data() }, { 'x-hook-uuid': 'h'.repeat(65) }],
        [{ event: 'pullrequest:approved', data: data({ repository: { type: 'repository', uuid: `{${'a'.repeat(70)}}`, full_name: 'acme/web' } }) }, {}],
        [{ event: 'pullrequest:approved', data: data({ repository: { type: 'repository', uuid: 'a\u0000b', full_name: 'acme/web' } }) }, {}],
        [{ event: 'pullrequest:approved', data: data({ pullrequest: { ...pr, id: 2 ** 31 } }) }, {}],
      ];
      for (const [body, headers] of cases) {
        const res = await deliver(body, headers);
        expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(400);
        expect(errorOf(res.body).code).toBe('REQUEST_INVALID');
      }
      expect(await countRows(bosun.services.db)).toEqual(before);
      expect(errorLogs()).toEqual([]);
    });

    it('accept fields the event does not define without reading them, and an absurd attempt number', async () => {
      const before = await countRows(bosun.services.db);
      const approvedUuid = randomUUID();
      const approved = await deliver({ event: 'pullrequest:approved', data: data({ commit_status: {} }) }, { 'x-attempt-number': '99999999999', 'x-request-uuid': approvedUuid });
      expect(approved.status).toBe(204);
      const pushUuid = randomUUID();
      const push = await deliver({ event: 'repo:push', data: { ...data({ pullrequest: { id: 'not a number' } }), push: { changes: [] } } }, { 'x-request-uuid': pushUuid });
      expect(push.status).toBe(204);
      const after = await countRows(bosun.services.db);
      expect(after.webhook_deliveries).toBe((before.webhook_deliveries ?? 0) + 2);
      const stored = await bosun.services.deps.deliveries.listRecent(a.clientKey, 50);
      expect(stored.find((d) => d.requestUuid === approvedUuid)).toMatchObject({ attempt: 2_147_483_647, pullrequestId: 2 });
      expect(stored.find((d) => d.requestUuid === pushUuid)).toMatchObject({ eventKey: 'repo:push', pullrequestId: null });
      expect(errorLogs()).toEqual([]);
    });
  });

  it('answers an OAuth callback with an undecodable cookie with 400, not a 502 logged as an error', async () => {
    const res = await send({ path: '/oauth/callback?code=x&state=y', headers: { cookie: 'bosun_oauth_nonce=%E0%A4%A' } });
    expect(res.status).toBe(400);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(errorLogs()).toEqual([]);
  });
});
