import { describe, expect, it } from 'vitest';
import { ExternalHostError, RateLimitedError } from '../../../server/bitbucket';
import { createTestClient, jsonResponse } from './fake-bitbucket';

const user = { type: 'user', uuid: '{u}', display_name: 'Bosun', account_id: '1' };
const rateLimited = (headers: Record<string, string> = {}) =>
  jsonResponse(429, { type: 'error', error: { message: 'Rate limit for this resource has been exceeded' } }, headers);

function connectionError(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

describe('retries', () => {
  it('waits Retry-After seconds on 429, then succeeds', async () => {
    let n = 0;
    const { client, sleeps, calls } = createTestClient(() => (n++ === 0 ? rateLimited({ 'Retry-After': '7' }) : jsonResponse(200, user)));
    await expect(client.users.getCurrent()).resolves.toMatchObject({ uuid: '{u}' });
    expect(sleeps).toEqual([7_000]);
    expect(calls).toHaveLength(2);
  });

  it('understands an HTTP-date Retry-After', async () => {
    let n = 0;
    const { client, sleeps, clock } = createTestClient(() =>
      n++ === 0 ? rateLimited({ 'Retry-After': new Date(clock.now + 12_000).toUTCString() }) : jsonResponse(200, user),
    );
    await client.users.getCurrent();
    // toUTCString drops milliseconds, so allow a second of rounding.
    expect(sleeps[0]).toBeGreaterThan(11_000);
    expect(sleeps[0]).toBeLessThanOrEqual(12_000);
  });

  it('backs off with jitter on 429 without Retry-After and gives up with retryAfterMs null', async () => {
    const { client, sleeps, calls } = createTestClient(() => rateLimited());
    const error = await client.users.getCurrent().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: null, code: 'BITBUCKET_RATE_LIMITED' });
    expect(calls).toHaveLength(4); // 1 + 3 retries
    // random() = 0.5 → half of 500, 1000, 2000
    expect(sleeps).toEqual([250, 500, 1_000]);
  });

  it('gives up at once when Retry-After exceeds the total budget, exposing retryAfterMs', async () => {
    const { client, sleeps } = createTestClient(() => rateLimited({ 'Retry-After': '3600' }));
    await expect(client.users.getCurrent()).rejects.toMatchObject({ retryAfterMs: 3_600_000 });
    expect(sleeps).toEqual([]);
  });

  it('retries 503 then succeeds', async () => {
    let n = 0;
    const { client, calls } = createTestClient(() => (n++ === 0 ? jsonResponse(503, null) : jsonResponse(200, user)));
    await expect(client.users.getCurrent()).resolves.toMatchObject({ display_name: 'Bosun' });
    expect(calls).toHaveLength(2);
  });

  it('turns persistent 502s into ExternalHostError after the retry count', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(502, null), { retry: { maxRetries: 1 } });
    await expect(client.users.getCurrent()).rejects.toMatchObject({ code: 'BITBUCKET_EXTERNAL_HOST', status: 502, reason: 'status' });
    expect(calls).toHaveLength(2);
  });

  it('does not retry a 500 (not in the retryable list)', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(500, null));
    await expect(client.users.getCurrent()).rejects.toBeInstanceOf(ExternalHostError);
    expect(calls).toHaveLength(1);
  });

  it('times out a hung request with AbortController and retries it', async () => {
    let n = 0;
    const { client, calls } = createTestClient(
      (_call, signal) =>
        n++ === 0
          ? new Promise<Response>((_resolve, reject) => {
              signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
            })
          : jsonResponse(200, user),
      { timeoutMs: 20 },
    );
    await expect(client.users.getCurrent()).resolves.toMatchObject({ uuid: '{u}' });
    expect(calls).toHaveLength(2);
  });

  it('reports a timeout as ExternalHostError reason "timeout" when every attempt hangs', async () => {
    const { client } = createTestClient(
      (_call, signal) =>
        new Promise<Response>((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
      { timeoutMs: 5, retry: { maxRetries: 1 } },
    );
    await expect(client.users.getCurrent()).rejects.toMatchObject({ reason: 'timeout', status: null });
  });

  it('retries a GET whose connection dropped', async () => {
    let n = 0;
    const { client, calls } = createTestClient(() => {
      if (n++ === 0) throw connectionError('ECONNRESET');
      return jsonResponse(200, user);
    });
    await expect(client.users.getCurrent()).resolves.toMatchObject({ uuid: '{u}' });
    expect(calls).toHaveLength(2);
  });

  it('does not retry a POST whose connection dropped (it may have been applied)', async () => {
    const { client, calls } = createTestClient(() => {
      throw connectionError('ECONNRESET');
    });
    const error = await client.pullRequests.createComment('acme', 'web', 1, { content: { raw: 'x' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BITBUCKET_EXTERNAL_HOST', reason: 'network' });
    expect(calls).toHaveLength(1);
  });

  it('does not retry a POST on 503 either', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(503, null));
    await expect(client.pullRequests.approve('acme', 'web', 1)).rejects.toBeInstanceOf(ExternalHostError);
    expect(calls).toHaveLength(1);
  });

  it('retries a POST when the connection was refused (never reached Bitbucket)', async () => {
    let n = 0;
    const { client, calls } = createTestClient(() => {
      if (n++ === 0) throw connectionError('ECONNREFUSED');
      return jsonResponse(201, { id: 9, content: { raw: 'x' } });
    });
    await expect(client.pullRequests.createComment('acme', 'web', 1, { content: { raw: 'x' } })).resolves.toMatchObject({ id: 9 });
    expect(calls).toHaveLength(2);
  });

  it('retries build status POSTs like a PUT because the key makes them idempotent', async () => {
    let n = 0;
    const { client, calls } = createTestClient(() =>
      n++ === 0 ? jsonResponse(503, null) : jsonResponse(201, { type: 'build', key: 'bosun', state: 'SUCCESSFUL' }),
    );
    await client.statuses.createBuild('acme', 'web', 'abc', { key: 'bosun', state: 'SUCCESSFUL', url: 'https://x' });
    expect(calls).toHaveLength(2);
  });

  it('stops retrying when the total time budget would be exceeded', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(503, null, { 'Retry-After': '20' }), {
      retry: { maxRetries: 10, maxTotalMs: 30_000 },
    });
    await expect(client.users.getCurrent()).rejects.toBeInstanceOf(ExternalHostError);
    expect(calls).toHaveLength(2); // 20 s waited once; a second 20 s wait would pass 30 s
  });

  it('keeps a 4xx error unretried', async () => {
    const { client, calls } = createTestClient(() => jsonResponse(404, { type: 'error', error: { message: 'nope' } }));
    await expect(client.pullRequests.get('acme', 'web', 1)).rejects.toMatchObject({ code: 'BITBUCKET_NOT_FOUND' });
    expect(calls).toHaveLength(1);
  });
});
