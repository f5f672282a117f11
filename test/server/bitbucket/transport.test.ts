import { describe, expect, it } from 'vitest';
import { createSemaphore, NotFoundError, UnexpectedStatusError } from '../../../server/bitbucket';
import { createTestClient, emptyResponse, jsonResponse, pullRequestBody } from './fake-bitbucket';

const API = 'https://api.bitbucket.org/2.0';

/** Decodes the qsh claim of a `JWT …` Authorization header without verifying it. */
function qshOf(authorization: string | undefined): string {
  const payload = authorization!.slice(4).split('.')[1]!;
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { qsh: string }).qsh;
}

describe('text responses', () => {
  it('returns a file body verbatim, even when it looks like JSON', async () => {
    const { client, calls } = createTestClient(() => new Response('{"a":1}', { status: 200 }));
    await expect(client.source.getFile('acme', 'web', 'abc', '/package.json')).resolves.toBe('{"a":1}');
    expect(calls[0]!.headers.accept).toBe('*/*');
    expect(new URL(calls[0]!.url).pathname).toBe('/2.0/repositories/acme/web/src/abc/package.json');
  });

  it('maps a 404 on a missing file to NotFoundError with Bitbucket\'s message', async () => {
    const { client } = createTestClient(() => jsonResponse(404, { type: 'error', error: { message: 'No such file or directory: d' } }));
    const error = await client.source.getFile('acme', 'web', 'abc', 'd').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ bitbucketMessage: 'No such file or directory: d' });
  });

  it('refuses file paths that URL parsing would collapse into another route', async () => {
    const { client, calls } = createTestClient(() => new Response('x'));
    await expect(client.source.getFile('acme', 'web', 'abc', 'a/../../../admin')).rejects.toThrow(TypeError);
    await expect(client.source.getFile('acme', 'web', 'abc', '')).rejects.toThrow(TypeError);
    expect(calls).toHaveLength(0);
  });
});

describe('redirects', () => {
  it('follows a 302 inside the API and signs the new URL (the qsh binds the path)', async () => {
    const target = `${API}/repositories/acme/web/diffstat/acme/web:aaa%0Dbbb?from_pullrequest_id=7&topic=true`;
    const { client, calls } = createTestClient((call) =>
      call.url.includes('/pullrequests/7/diffstat')
        ? emptyResponse(302, { Location: target })
        : jsonResponse(200, { values: [{ type: 'diffstat', status: 'added', old: null, new: { path: 'b.ts' } }] }),
    );
    await expect(client.pullRequests.getDiffstat('acme', 'web', 7)).resolves.toHaveLength(1);
    expect(calls).toHaveLength(2);
    expect(new URL(calls[1]!.url).pathname).toBe('/2.0/repositories/acme/web/diffstat/acme/web:aaa%0Dbbb');
    expect(calls[1]!.headers.authorization).toMatch(/^JWT /);
    expect(qshOf(calls[1]!.headers.authorization)).not.toBe(qshOf(calls[0]!.headers.authorization));
  });

  it('fetches a step log moved to storage elsewhere without sending credentials there', async () => {
    const storage = 'https://storage.example.net/logs/s-1?X-Amz-Signature=abc';
    const { client, calls } = createTestClient((call) =>
      call.url.startsWith(API) ? emptyResponse(307, { Location: storage }) : new Response('line 1\nline 2\n'),
    );
    await expect(client.pipelines.getStepLog('acme', 'web', '{p}', '{s}')).resolves.toBe('line 1\nline 2\n');
    expect(calls.map((c) => c.url)).toEqual([`${API}/repositories/acme/web/pipelines/%7Bp%7D/steps/%7Bs%7D/log`, storage]);
    expect(calls[1]!.headers.authorization).toBeUndefined();
  });

  it('does not follow other requests out of baseApiUrl', async () => {
    const { client, calls } = createTestClient(() => emptyResponse(302, { Location: 'https://evil.example.com/2.0/user' }));
    await expect(client.users.getCurrent()).rejects.toBeInstanceOf(UnexpectedStatusError);
    expect(calls).toHaveLength(1);
  });

  it('gives up after a bounded number of hops', async () => {
    const { client, calls } = createTestClient(() => emptyResponse(302, { Location: `${API}/user` }));
    await expect(client.users.getCurrent()).rejects.toBeInstanceOf(UnexpectedStatusError);
    expect(calls).toHaveLength(6);
  });
});

describe('shared limiter', () => {
  it('bounds two clients of one tenant together', async () => {
    const limiter = createSemaphore(2);
    let inFlight = 0;
    let peak = 0;
    const handler = async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      return jsonResponse(200, pullRequestBody(1));
    };
    // Each client alone would allow 4 at once; the shared limiter must win.
    const first = createTestClient(handler, { limiter, maxConcurrency: 4 });
    const second = createTestClient(handler, { limiter, maxConcurrency: 4 });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? first.client : second.client).pullRequests.get('acme', 'web', 1)),
    );
    expect(first.calls.length + second.calls.length).toBe(12);
    expect(peak).toBe(2);
    expect(limiter.active).toBe(0);
  });
});
