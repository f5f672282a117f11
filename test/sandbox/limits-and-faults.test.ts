import { afterEach, describe, expect, it } from 'vitest';
import { loadOpenApiValidator } from './helpers/openapi-validator';
import { type Harness, startHarness } from './helpers/setup';

const spec = loadOpenApiValidator();

describe('sandbox rate limits', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('answers 429 with Bitbucket\'s error body and Retry-After once the hourly budget is spent, per credential', async () => {
    h = await startHarness({ sandbox: { rateLimitPerHour: 3 } });
    for (let i = 0; i < 3; i++) expect((await h.api('GET', '/2.0/repositories/acme/web')).status).toBe(200);
    const limited = await h.api('GET', '/2.0/repositories/acme/web/pullrequests');
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ type: 'error', error: { message: 'Rate limit for this resource has been exceeded' } });
    expect(spec.validate('error', limited.json)).toEqual([]);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3500);
    // Outside /2.0/repositories/* the budget does not apply.
    expect((await h.api('GET', '/2.0/workspaces/acme')).status).toBe(200);
    h.sandbox.rateLimiter!.reset();
    expect((await h.api('GET', '/2.0/repositories/acme/web')).status).toBe(200);
  });

  it('can leave Retry-After out', async () => {
    h = await startHarness({ sandbox: { rateLimitPerHour: 1, rateLimitRetryAfter: false } });
    await h.api('GET', '/2.0/repositories/acme/web');
    const limited = await h.api('GET', '/2.0/repositories/acme/web');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
  });
});

describe('sandbox fault injection', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('status faults answer Bitbucket error bodies for matching method and glob, `times` then expire', async () => {
    h = await startHarness();
    h.sandbox.faults.add({ method: 'GET', pathPattern: '/2.0/repositories/*/web/pullrequests/*', status: 503, times: 2 });
    const a = await h.api('GET', '/2.0/repositories/acme/web/pullrequests/1');
    expect(a.status).toBe(503);
    expect(spec.validate('error', a.json)).toEqual([]);
    expect((await h.api('GET', '/2.0/repositories/acme/web')).status).toBe(200);
    expect((await h.api('GET', '/2.0/repositories/acme/web/pullrequests/2')).status).toBe(503);
    expect((await h.api('GET', '/2.0/repositories/acme/web/pullrequests/2')).status).toBe(200);
    expect(h.sandbox.faults.list()).toEqual([]);
  });

  it('latency faults delay, regex patterns match, drop destroys the socket', async () => {
    h = await startHarness();
    h.sandbox.faults.add({ pathPattern: /\/pullrequests\/1$/, latencyMs: 150, times: 1 });
    const t0 = Date.now();
    expect((await h.api('GET', '/2.0/repositories/acme/web/pullrequests/1')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const fault = h.sandbox.faults.add({ method: 'POST', pathPattern: '/2.0/**/approve', drop: true });
    await expect(h.api('POST', '/2.0/repositories/acme/web/pullrequests/2/approve')).rejects.toThrow();
    expect(h.sandbox.state.pullRequests.find((p) => p.id === 2)!.participants.some((p) => p.approved && p.userUuid === h.inst.appUserUuid)).toBe(false);
    h.sandbox.faults.remove(fault.id);
    expect((await h.api('POST', '/2.0/repositories/acme/web/pullrequests/2/approve')).status).toBe(200);
  });

  it('is settable over HTTP: POST /_sandbox/faults (regex string), GET lists, DELETE clears', async () => {
    h = await startHarness();
    const post = await fetch(`${h.url}/_sandbox/faults`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([{ pathPattern: '/^\\/2\\.0\\/workspaces\\//', status: 429 }, { pathPattern: '/2.0/user', status: 500 }]),
    });
    expect(post.status).toBe(201);
    const limited = await h.api('GET', '/2.0/workspaces/acme');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await h.api('GET', '/2.0/user')).status).toBe(500);
    expect(((await (await fetch(`${h.url}/_sandbox/faults`)).json()) as { values: unknown[] }).values).toHaveLength(2);
    const bad = await fetch(`${h.url}/_sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 500 }) });
    expect(bad.status).toBe(400);
    expect((await fetch(`${h.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.api('GET', '/2.0/workspaces/acme')).status).toBe(200);
  });
});
