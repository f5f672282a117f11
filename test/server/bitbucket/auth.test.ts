import { createCanonicalRequest, createQueryStringHash, decodeSymmetric, fromMethodAndUrl, SymmetricAlgorithm } from 'atlassian-jwt';
import { describe, expect, it } from 'vitest';
import { createBitbucketClient, createConnectJwtClaims } from '../../../server/bitbucket';
import { APP_KEY, CLIENT_KEY, createFakeFetch, createTestClient, jsonResponse, pullRequestBody, SHARED_SECRET } from './fake-bitbucket';

function decode(authorization: string | undefined) {
  expect(authorization).toMatch(/^JWT /);
  return decodeSymmetric(authorization!.slice(4), SHARED_SECRET, SymmetricAlgorithm.HS256) as Record<string, unknown>;
}

function expectedQsh(method: string, url: string): string {
  const { pathname, search } = new URL(url);
  return createCanonicalRequest(fromMethodAndUrl(method, `${pathname}${search}`));
}

describe('Connect JWT auth', () => {
  it('matches the qsh vector from REFERENCE.md §4', () => {
    const claims = createConnectJwtClaims(
      { appKey: APP_KEY, clientKey: CLIENT_KEY },
      'GET',
      '/2.0/repositories/acme/web/pullrequests?state=OPEN&pagelen=50&q=title ~ "fix"',
      1_700_000_000_000,
    );
    expect(claims.qsh).toBe('04b265b86be20e622c1b98046e2248431a13c6514587caf7cf50fbc78c778e2f');
    expect(claims).toMatchObject({ iss: APP_KEY, sub: CLIENT_KEY, iat: 1_700_000_000, exp: 1_700_000_180 });
  });

  it('signs the real list request with iss, sub, exp and the qsh of its path and query', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(200, { values: [] }));
    await client.pullRequests.list('acme', 'web', { state: ['OPEN'], q: 'title ~ "fix"' });
    const call = calls[0]!;
    expect(call.url).toBe(
      'https://api.bitbucket.org/2.0/repositories/acme/web/pullrequests?pagelen=50&state=OPEN&q=title%20~%20%22fix%22',
    );
    const claims = decode(call.headers.authorization);
    expect(claims).toMatchObject({ iss: APP_KEY, sub: CLIENT_KEY, iat: 1_700_000_000, exp: 1_700_000_180 });
    // Same canonical request as the vector, whatever the parameter order on the wire.
    expect(claims.qsh).toBe('04b265b86be20e622c1b98046e2248431a13c6514587caf7cf50fbc78c778e2f');
  });

  it('signs each `next` link for its own path and query', async () => {
    const next = 'https://api.bitbucket.org/2.0/repositories/acme/web/refs/branches?pagelen=50&page=2';
    const { client, calls } = createTestClient((call) =>
      call.url.includes('page=2')
        ? jsonResponse(200, { values: [{ name: 'b' }] })
        : jsonResponse(200, { values: [{ name: 'a' }], next }),
    );
    const branches = await client.branches.list('acme', 'web');
    expect(branches.map((b) => b.name)).toEqual(['a', 'b']);
    expect(calls[1]!.url).toBe(next);
    const claims = decode(calls[1]!.headers.authorization);
    expect(claims.qsh).toBe(
      createQueryStringHash(fromMethodAndUrl('GET', '/2.0/repositories/acme/web/refs/branches?pagelen=50&page=2')),
    );
    expect(expectedQsh('GET', next)).toBe('GET&/2.0/repositories/acme/web/refs/branches&page=2&pagelen=50');
  });

  it('strips the path of baseApiUrl from the qsh and keeps {uuid} segments encoded', async () => {
    const fake = createFakeFetch(() => jsonResponse(200, pullRequestBody(7)));
    const client = createBitbucketClient({
      baseApiUrl: 'http://localhost:4000/bb/',
      auth: { kind: 'connect-jwt', appKey: APP_KEY, clientKey: CLIENT_KEY, sharedSecret: SHARED_SECRET },
      fetch: fake.fetch,
    });
    await client.pullRequests.get('{ws-uuid}', 'web', 7);
    expect(fake.calls[0]!.url).toBe('http://localhost:4000/bb/2.0/repositories/%7Bws-uuid%7D/web/pullrequests/7');
    const claims = decode(fake.calls[0]!.headers.authorization);
    expect(claims.qsh).toBe(createQueryStringHash(fromMethodAndUrl('GET', '/2.0/repositories/%7Bws-uuid%7D/web/pullrequests/7')));
  });

  it('does not put the body into the qsh of a POST', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(201, { id: 1, content: { raw: 'hi' } }));
    await client.pullRequests.createComment('acme', 'web', 3, { content: { raw: 'hi' } });
    const claims = decode(calls[0]!.headers.authorization);
    expect(claims.qsh).toBe(createQueryStringHash(fromMethodAndUrl('POST', '/2.0/repositories/acme/web/pullrequests/3/comments')));
    expect(calls[0]!.body).toEqual({ content: { raw: 'hi' } });
  });

  it('sends a bearer token fetched for every request', async () => {
    let n = 0;
    const fake = createFakeFetch(() => jsonResponse(200, { type: 'user', uuid: '{u}', display_name: 'U' }));
    const client = createBitbucketClient({
      baseApiUrl: 'https://api.bitbucket.org',
      auth: { kind: 'bearer', getAccessToken: async () => `token-${++n}` },
      fetch: fake.fetch,
    });
    await client.users.getCurrent();
    await client.users.getCurrent();
    expect(fake.calls.map((c) => c.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('refuses to send credentials to a `next` link on another host', async () => {
    const { client, calls } = createTestClient(() =>
      jsonResponse(200, { values: [{ name: 'a' }], next: 'https://evil.example/2.0/x?page=2' }),
    );
    await expect(client.branches.list('acme', 'web')).rejects.toMatchObject({ code: 'BITBUCKET_RESPONSE_SHAPE' });
    expect(calls).toHaveLength(1);
  });
});
