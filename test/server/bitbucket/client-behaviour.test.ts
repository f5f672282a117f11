import { describe, expect, it } from 'vitest';
import { createTestClient, jsonResponse, pullRequestBody, SHARED_SECRET } from './fake-bitbucket';

describe('logging', () => {
  it('logs each request at debug with method, path, status, duration, tenant and delivery id', async () => {
    const { client, logs } = createTestClient(() => jsonResponse(200, { values: [] }));
    await client.pullRequests.list('acme', 'web', { q: 'title ~ "secret query"' });
    const line = logs.find((l) => l.level === 'debug' && l.message === 'bitbucket request');
    expect(line?.meta).toMatchObject({
      method: 'GET',
      path: '/2.0/repositories/acme/web/pullrequests',
      status: 200,
      durationMs: expect.any(Number),
      tenant: 'tenant-1',
      deliveryId: 'delivery-1',
    });
    expect(JSON.stringify(logs)).not.toContain('secret query');
  });

  it('never logs or throws the JWT, the shared secret or a bearer token', async () => {
    let n = 0;
    const { client, logs, calls } = createTestClient(() =>
      n++ < 2 ? jsonResponse(503, null) : jsonResponse(401, { type: 'error', error: { message: 'Invalid token' } }),
    );
    const error = await client.users.getCurrent().catch((e: unknown) => e);
    const jwt = calls[0]!.headers.authorization!.slice(4);
    const everything = JSON.stringify(logs) + String(error) + JSON.stringify(error);
    expect(everything).not.toContain(jwt);
    expect(everything).not.toContain(SHARED_SECRET);
    expect(logs.some((l) => l.level === 'warn')).toBe(true);

    const bearer = createTestClient(() => jsonResponse(503, null), {
      auth: { kind: 'bearer', getAccessToken: async () => 'bearer-token-xyz' },
    });
    const bearerError = await bearer.client.users.getCurrent().catch((e: unknown) => e);
    expect(JSON.stringify(bearer.logs) + String(bearerError)).not.toContain('bearer-token-xyz');
  });
});

describe('concurrency', () => {
  it('never has more than maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const { client, calls } = createTestClient(
      async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        return jsonResponse(200, pullRequestBody(1));
      },
      { maxConcurrency: 2 },
    );
    await Promise.all(Array.from({ length: 9 }, (_, i) => client.pullRequests.get('acme', 'web', i + 1)));
    expect(calls).toHaveLength(9);
    expect(peak).toBe(2);
  });

  it('defaults to 4 at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const { client } = createTestClient(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      return jsonResponse(200, pullRequestBody(1));
    });
    await Promise.all(Array.from({ length: 10 }, () => client.pullRequests.get('acme', 'web', 1)));
    expect(peak).toBe(4);
  });
});

describe('operations', () => {
  it('encodes {uuid} workspaces and slugs as single path segments', async () => {
    const { client, calls } = createTestClient(() =>
      jsonResponse(200, { uuid: '{r}', full_name: 'a/b', name: 'b' }),
    );
    await client.repositories.get('{aaaa-bbbb}', 'web/../admin');
    expect(new URL(calls[0]!.url).pathname).toBe('/2.0/repositories/%7Baaaa-bbbb%7D/web%2F..%2Fadmin');
  });

  it('refuses an empty workspace instead of calling another endpoint', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(200, {}));
    await expect(client.repositories.get('', 'web')).rejects.toThrow(/workspace must not be empty/);
    expect(calls).toHaveLength(0);
  });

  it('creates and updates build statuses with the documented bodies', async () => {
    const status = { type: 'build', key: 'bosun-ready', state: 'INPROGRESS', refname: 'feature', url: 'https://b/x' };
    const { client, calls } = createTestClient((call) => jsonResponse(call.method === 'POST' ? 201 : 200, status));
    await client.statuses.createBuild('acme', 'web', 'abcdef0123', {
      key: 'bosun-ready',
      state: 'INPROGRESS',
      url: 'https://b/x',
      refname: 'feature',
    });
    await client.statuses.updateBuild('acme', 'web', 'abcdef0123', 'bosun-ready', { state: 'SUCCESSFUL' });
    expect(calls.map((c) => [c.method, new URL(c.url).pathname, c.body])).toEqual([
      ['POST', '/2.0/repositories/acme/web/commit/abcdef0123/statuses/build', { key: 'bosun-ready', state: 'INPROGRESS', url: 'https://b/x', refname: 'feature' }],
      ['PUT', '/2.0/repositories/acme/web/commit/abcdef0123/statuses/build/bosun-ready', { state: 'SUCCESSFUL' }],
    ]);
  });

  it('covers the remaining pull request endpoints', async () => {
    const participant = { type: 'participant', user: { uuid: '{u}' }, role: 'REVIEWER', approved: true, state: 'approved' };
    const { client, calls } = createTestClient((call) => {
      const path = new URL(call.url).pathname;
      if (call.method === 'DELETE') return new Response(null, { status: 204 });
      if (path.endsWith('/approve') || path.endsWith('/request-changes')) return jsonResponse(200, participant);
      if (path.endsWith('/comments')) return jsonResponse(call.method === 'POST' ? 201 : 200, call.method === 'POST' ? { id: 1, content: { raw: 'x' } } : { values: [] });
      if (path.endsWith('/statuses')) return jsonResponse(200, { values: [{ key: 'k', state: 'FAILED' }] });
      return jsonResponse(call.method === 'POST' && path.endsWith('/pullrequests') ? 201 : 200, pullRequestBody(4, 'DECLINED'));
    });
    await client.pullRequests.create('acme', 'web', { title: 't', source: { branch: { name: 'f' } } });
    await client.pullRequests.approve('acme', 'web', 4);
    await client.pullRequests.unapprove('acme', 'web', 4);
    await client.pullRequests.requestChanges('acme', 'web', 4);
    await client.pullRequests.decline('acme', 'web', 4);
    expect(await client.pullRequests.listStatuses('acme', 'web', 4)).toEqual([{ key: 'k', state: 'FAILED' }]);
    await client.pullRequests.listComments('acme', 'web', 4);
    await client.pullRequests.createComment('acme', 'web', 4, { content: { raw: 'x' } });
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual([
      'POST /2.0/repositories/acme/web/pullrequests',
      'POST /2.0/repositories/acme/web/pullrequests/4/approve',
      'DELETE /2.0/repositories/acme/web/pullrequests/4/approve',
      'POST /2.0/repositories/acme/web/pullrequests/4/request-changes',
      'POST /2.0/repositories/acme/web/pullrequests/4/decline',
      'GET /2.0/repositories/acme/web/pullrequests/4/statuses',
      'GET /2.0/repositories/acme/web/pullrequests/4/comments',
      'POST /2.0/repositories/acme/web/pullrequests/4/comments',
    ]);
  });

  it('reads the user, emails, workspace and repository lists', async () => {
    const { client, calls } = createTestClient((call) => {
      const path = new URL(call.url).pathname;
      if (path === '/2.0/user') return jsonResponse(200, { type: 'user', uuid: '{u}', display_name: 'U', account_id: 'a' });
      if (path === '/2.0/user/emails') return jsonResponse(200, { values: [{ email: 'u@x', is_primary: true, is_confirmed: true, type: 'email' }] });
      if (path.startsWith('/2.0/workspaces/')) return jsonResponse(200, { uuid: '{w}', slug: 'acme', name: 'Acme' });
      return jsonResponse(200, { values: [{ uuid: '{r}', full_name: 'acme/web', name: 'web', mainbranch: { name: 'main' } }] });
    });
    expect(await client.users.getCurrent()).toMatchObject({ account_id: 'a' });
    expect(await client.users.listEmails()).toHaveLength(1);
    expect(await client.workspaces.get('acme')).toMatchObject({ slug: 'acme' });
    expect(await client.repositories.list('acme', { q: 'name ~ "w"', sort: '-updated_on' })).toHaveLength(1);
    expect(new URL(calls[3]!.url).search).toBe('?pagelen=50&q=name%20~%20%22w%22&sort=-updated_on');
  });
});
