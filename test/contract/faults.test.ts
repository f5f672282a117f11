/**
 * The client under the sandbox's fault injection: rate limits with and without Retry-After,
 * 503 then success, timeouts, dropped connections (GET retried, POST not) and pagination of more
 * than 1,000 items up to the cap. Small timeouts and an instant, recorded sleep keep it fast.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import {
  createBitbucketClient,
  DEFAULT_MAX_ITEMS,
  ExternalHostError,
  RateLimitedError,
  type BitbucketClient,
} from '../../server/bitbucket';
import { createRecorder, type Recorder } from './recording-fetch';

const WS = 'acme';
const REPO = 'web';
const REPO_PATH = `/2.0/repositories/${WS}/${REPO}`;
const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };
const CONSUMER = { key: 'faults-consumer', secret: 'faults-consumer-secret-0123456789' };

interface Bench {
  sandbox: Sandbox;
  url: string;
  recorder: Recorder;
  /** Every delay the client asked to sleep (the sleep itself returns at once). */
  sleeps: number[];
  client(tuning?: { timeoutMs?: number; maxRetries?: number }): BitbucketClient;
  close(): Promise<void>;
}

const open: Bench[] = [];

/** A bare sandbox on a real port (no Bosun needed) and alice's OAuth token for it. */
async function startBench(options: Partial<SandboxOptions> = {}): Promise<Bench> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sandbox = createSandbox({ publicUrl: url, logger: quietLogger, rateLimitPerHour: 0, ...options });
  server.on('request', sandbox.app);
  sandbox.oauth.addConsumer({
    ...CONSUMER,
    name: 'Contract faults',
    callbackUrl: 'http://127.0.0.1/callback',
    scopes: ['account', 'repository:write', 'pullrequest:write'],
  });
  const token = sandbox.oauth.issueTokens({ userNickname: 'alice', consumerKey: CONSUMER.key }).access_token;
  const recorder = createRecorder();
  const sleeps: number[] = [];
  const bench: Bench = {
    sandbox,
    url,
    recorder,
    sleeps,
    client: (tuning = {}) =>
      createBitbucketClient({
        baseApiUrl: url,
        auth: { kind: 'bearer', getAccessToken: async () => token },
        fetch: recorder.fetch,
        timeoutMs: tuning.timeoutMs ?? 2_000,
        retry: { maxRetries: tuning.maxRetries ?? 3, baseDelayMs: 10, maxTotalMs: 5_000 },
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        random: () => 0.5,
      }),
    async close() {
      await sandbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  open.push(bench);
  return bench;
}

const calls = (recorder: Recorder, method: string, path: string) =>
  recorder.exchanges.filter((e) => e.method === method && e.url.pathname === path);

afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

describe('client under rate limits (429)', () => {
  it('honours Retry-After when it fits the retry budget, then succeeds', async () => {
    const bench = await startBench();
    // The sandbox's injected 429 carries Retry-After: 1.
    bench.sandbox.faults.add({ method: 'GET', pathPattern: REPO_PATH, status: 429, times: 1 });
    const repo = await bench.client().repositories.get(WS, REPO);
    expect(repo.slug).toBe(REPO);
    expect(calls(bench.recorder, 'GET', REPO_PATH).map((e) => e.status)).toEqual([429, 200]);
    expect(bench.recorder.exchanges[0]!.responseHeaders!.get('retry-after')).toBe('1');
    expect(bench.sleeps).toEqual([1_000]);
  });

  it('gives up at once when Retry-After is beyond the retry budget (rolling-hour limit)', async () => {
    const bench = await startBench({ rateLimitPerHour: 2, rateLimitRetryAfter: true });
    const client = bench.client();
    await client.repositories.get(WS, REPO);
    await client.repositories.get(WS, REPO);
    const error = await client.repositories.get(WS, REPO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(5_000);
    // The wait would exceed maxTotalMs (5 s): no sleep, no retry.
    expect(bench.sleeps).toEqual([]);
    expect(calls(bench.recorder, 'GET', REPO_PATH).map((e) => e.status)).toEqual([200, 200, 429]);
  });

  it('backs off with its own jitter when a 429 has no Retry-After, up to maxRetries', async () => {
    const bench = await startBench({ rateLimitPerHour: 1, rateLimitRetryAfter: false });
    const client = bench.client({ maxRetries: 2 });
    await client.repositories.get(WS, REPO);
    const error = await client.repositories.get(WS, REPO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeNull();
    const limited = calls(bench.recorder, 'GET', REPO_PATH).slice(1);
    expect(limited.map((e) => e.status)).toEqual([429, 429, 429]);
    expect(limited.every((e) => e.responseHeaders!.get('retry-after') === null)).toBe(true);
    // Full jitter with random() = 0.5: half of 10 ms, then half of 20 ms.
    expect(bench.sleeps).toEqual([5, 10]);
  });
});

describe('client under server errors, timeouts and dropped connections', () => {
  it('retries a 503 and succeeds', async () => {
    const bench = await startBench();
    bench.sandbox.faults.add({ method: 'GET', pathPattern: `${REPO_PATH}/refs/branches/main`, status: 503, times: 1 });
    const main = await bench.client().branches.get(WS, REPO, 'main');
    expect(main.name).toBe('main');
    expect(calls(bench.recorder, 'GET', `${REPO_PATH}/refs/branches/main`).map((e) => e.status)).toEqual([503, 200]);
    expect(bench.sleeps).toHaveLength(1);
  });

  it('times out a slow GET and retries it', async () => {
    const bench = await startBench();
    bench.sandbox.faults.add({ method: 'GET', pathPattern: REPO_PATH, latencyMs: 1_000, times: 1 });
    const started = Date.now();
    const repo = await bench.client({ timeoutMs: 150 }).repositories.get(WS, REPO);
    expect(repo.slug).toBe(REPO);
    expect(Date.now() - started).toBeLessThan(900);
    expect(calls(bench.recorder, 'GET', REPO_PATH).map((e) => e.status)).toEqual([null, 200]);
  });

  it('reports a timeout once retries are used up', async () => {
    const bench = await startBench();
    bench.sandbox.faults.add({ method: 'GET', pathPattern: REPO_PATH, latencyMs: 1_000 });
    const error = await bench.client({ timeoutMs: 100, maxRetries: 1 }).repositories.get(WS, REPO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalHostError);
    expect((error as ExternalHostError).reason).toBe('timeout');
    expect(calls(bench.recorder, 'GET', REPO_PATH)).toHaveLength(2);
  });

  it('does not resend a POST that timed out: the server may still act on it', async () => {
    const bench = await startBench();
    const main = bench.sandbox.state.branches.find((b) => b.name === 'main')!;
    bench.sandbox.faults.add({ method: 'POST', pathPattern: `${REPO_PATH}/refs/branches`, latencyMs: 300, times: 1 });
    const error = await bench
      .client({ timeoutMs: 100 })
      .branches.create(WS, REPO, { name: 'late/branch', target: { hash: main.target } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalHostError);
    expect((error as ExternalHostError).reason).toBe('timeout');
    expect(calls(bench.recorder, 'POST', `${REPO_PATH}/refs/branches`)).toHaveLength(1);
    // Whatever the server did with the abandoned request, there was no second attempt to duplicate it.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(bench.sandbox.state.branches.filter((b) => b.name === 'late/branch').length).toBeLessThanOrEqual(1);
    expect(calls(bench.recorder, 'POST', `${REPO_PATH}/refs/branches`)).toHaveLength(1);
  });

  it('retries a GET whose connection was dropped', async () => {
    const bench = await startBench();
    bench.sandbox.faults.add({ method: 'GET', pathPattern: REPO_PATH, drop: true, times: 1 });
    const repo = await bench.client().repositories.get(WS, REPO);
    expect(repo.slug).toBe(REPO);
    const attempts = calls(bench.recorder, 'GET', REPO_PATH);
    expect(attempts.map((e) => e.status)).toEqual([null, 200]);
    expect(attempts[0]!.error).toBeTruthy();
  });

  it('does not retry a POST whose connection was dropped', async () => {
    const bench = await startBench();
    const main = bench.sandbox.state.branches.find((b) => b.name === 'main')!;
    bench.sandbox.faults.add({ method: 'POST', pathPattern: `${REPO_PATH}/refs/branches`, drop: true, times: 1 });
    const error = await bench
      .client()
      .branches.create(WS, REPO, { name: 'dropped/branch', target: { hash: main.target } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalHostError);
    expect((error as ExternalHostError).reason).toBe('network');
    expect(calls(bench.recorder, 'POST', `${REPO_PATH}/refs/branches`)).toHaveLength(1);
    expect(bench.sleeps).toEqual([]);
    expect(bench.sandbox.state.branches.some((b) => b.name === 'dropped/branch')).toBe(false);
  });
});

describe('client pagination over 1,000+ items', () => {
  it('follows `next` to the default cap of 1,000, and past it when asked', async () => {
    const bench = await startBench();
    const main = bench.sandbox.state.branches.find((b) => b.name === 'main')!;
    for (let i = 0; i < 1_050; i += 1) {
      bench.sandbox.actions.createBranch({ workspace: WS, repo: REPO, actor: 'alice', name: `bulk/${String(i).padStart(4, '0')}`, target: main.target });
    }
    const total = bench.sandbox.state.branches.filter((b) => b.repoUuid === main.repoUuid).length;
    expect(total).toBeGreaterThan(1_050);
    const client = bench.client();

    const capped = await client.branches.list(WS, REPO);
    expect(capped).toHaveLength(DEFAULT_MAX_ITEMS);
    const cappedPages = bench.recorder.take();
    expect(cappedPages).toHaveLength(DEFAULT_MAX_ITEMS / 50);
    // Pages 2… are the sandbox's own `next` links, followed as given.
    expect(cappedPages.map((e) => e.url.searchParams.get('page'))).toEqual([null, ...Array.from({ length: 19 }, (_, i) => String(i + 2))]);

    const all = await client.branches.list(WS, REPO, { max: 5_000 });
    expect(all).toHaveLength(total);
    expect(new Set(all.map((b) => b.name)).size).toBe(total);
    expect(bench.recorder.take()).toHaveLength(Math.ceil(total / 50));
  });
});
