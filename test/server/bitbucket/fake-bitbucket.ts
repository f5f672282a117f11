/** Test helpers: a scripted fetch, a fake clock/sleep and a capturing logger. No network. */
import { createBitbucketClient, type BitbucketClientOptions } from '../../../server/bitbucket';

export interface RecordedCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Handler = (call: RecordedCall, signal: AbortSignal | undefined) => Response | Promise<Response>;

export const APP_KEY = 'io.bosun.app';
export const CLIENT_KEY = 'ari:cloud:bitbucket::app/{11111111-2222-3333-4444-555555555555}/io.bosun.app';
export const SHARED_SECRET = 'shared-secret-never-logged-0123456789';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

/** A fetch that answers from `handler` and records every call. */
export function createFakeFetch(handler: Handler) {
  const calls: RecordedCall[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const call: RecordedCall = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers,
      // A form body (POST …/src) is recorded as its fields in order, a JSON one parsed.
      body:
        typeof init?.body !== 'string'
          ? undefined
          : headers['content-type'] === 'application/x-www-form-urlencoded'
            ? [...new URLSearchParams(init.body)]
            : (JSON.parse(init.body) as unknown),
    };
    calls.push(call);
    return handler(call, init?.signal ?? undefined);
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

export interface LogLine {
  level: string;
  message: string;
  meta: Record<string, unknown> | undefined;
}

/** Builds a client with a fake clock whose sleep advances time instantly. */
export function createTestClient(handler: Handler, overrides: Partial<BitbucketClientOptions> = {}) {
  const fake = createFakeFetch(handler);
  const clock = { now: 1_700_000_000_000 };
  const sleeps: number[] = [];
  const logs: LogLine[] = [];
  const log = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    logs.push({ level, message, meta });
  };
  const client = createBitbucketClient({
    baseApiUrl: 'https://api.bitbucket.org',
    auth: { kind: 'connect-jwt', appKey: APP_KEY, clientKey: CLIENT_KEY, sharedSecret: SHARED_SECRET },
    fetch: fake.fetch,
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0.5,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    requestContext: { tenant: 'tenant-1', deliveryId: 'delivery-1' },
    ...overrides,
  });
  return { client, calls: fake.calls, clock, sleeps, logs };
}

export function pullRequestBody(id: number, state = 'OPEN'): Record<string, unknown> {
  return {
    type: 'pullrequest',
    id,
    title: `PR ${id}`,
    state,
    source: { branch: { name: 'feature' }, commit: { hash: 'abc123def456' } },
    destination: { branch: { name: 'main' }, commit: { hash: 'fff000aaa111' } },
    participants: [],
  };
}
