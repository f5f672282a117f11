/**
 * The one place that talks HTTP to Bitbucket: URL building, auth headers, timeouts,
 * the concurrency limit, retries, logging, error classification and response validation.
 */
import type { z } from 'zod';
import { getAuthorizationHeader, type BitbucketAuth } from './auth';
import {
  ExternalHostError,
  parseRetryAfter,
  ResponseShapeError,
  toBitbucketError,
  type BitbucketError,
  type RequestTarget,
  type ShapeIssue,
} from './errors';
import type { BitbucketLogger, BitbucketRequestContext } from './logger';
import { computeBackoffMs, isRetryableStatus, isUnsentNetworkError, type RetryPolicy } from './retry';
import type { Semaphore } from './semaphore';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

/**
 * - `idempotent`: retry every retryable failure (default for GET/PUT/DELETE, and POSTs whose
 *   repetition is harmless, like a build status with a fixed key).
 * - `unsent-only`: retry only when the request provably never left (default for POST).
 */
export type RetryMode = 'idempotent' | 'unsent-only';

export interface HttpRequest {
  method: HttpMethod;
  /** A path below `/2.0` built with paths.ts, or an absolute URL from a `next`/`Location` link. */
  path: string;
  query?: Query;
  body?: unknown;
  retry?: RetryMode;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty or non-JSON body. */
  body: unknown;
  /** False when a non-empty body was not JSON: validation then fails with ResponseShapeError. */
  isJson: boolean;
  target: RequestTarget;
}

export interface HttpTransportConfig {
  baseApiUrl: string;
  auth: BitbucketAuth;
  fetch: typeof fetch;
  logger: BitbucketLogger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  timeoutMs: number;
  retry: RetryPolicy;
  semaphore: Semaphore;
  requestContext: BitbucketRequestContext;
}

export interface HttpTransport {
  /** Sends with retries; resolves with any 2xx, throws a {@link BitbucketError} otherwise. */
  send(request: HttpRequest): Promise<HttpResponse>;
  /** {@link send}, then validates the body against `schema`. */
  sendJson<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.output<S>>;
  /** Validates an already received body (for callers that branch on the status first). */
  parseBody<S extends z.ZodType>(response: HttpResponse, schema: S): z.output<S>;
  readonly config: Readonly<HttpTransportConfig>;
}

type AttemptOutcome =
  | { kind: 'ok'; response: HttpResponse }
  | { kind: 'failed'; error: BitbucketError; retryable: boolean; unsent: boolean; retryAfterMs: number | null };

/** Appends query parameters; repeated keys for arrays (e.g. `state=OPEN&state=MERGED`). */
export function appendQuery(url: URL, query: Query | undefined): void {
  if (!query) return;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [String(value)];
    for (const item of values) url.searchParams.append(key, item);
  }
}

/**
 * Serialises the query with %20 for spaces: URLSearchParams writes `+`, which BBQL `q=`
 * values would otherwise depend on the server reading as form encoding.
 */
function toSearch(url: URL): string {
  const parts: string[] = [];
  url.searchParams.forEach((value, key) => parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`));
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function toIssues(error: z.ZodError): ShapeIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

/** Creates the transport one client (one tenant or user) uses for all its calls. */
export function createHttpTransport(config: HttpTransportConfig): HttpTransport {
  const base = new URL(config.baseApiUrl);
  // The path part of baseApiUrl ("" normally) is stripped before computing the qsh.
  const basePath = base.pathname.replace(/\/+$/, '');
  const apiRoot = `${base.origin}${basePath}/2.0`;
  const { logger, now, requestContext } = config;

  const resolve = (request: HttpRequest): { url: URL; target: RequestTarget } => {
    const absolute = /^https?:\/\//i.test(request.path);
    const url = new URL(absolute ? request.path : `${apiRoot}${request.path}`);
    const relativePath = url.pathname.slice(basePath.length);
    const target = { method: request.method, path: relativePath };
    // Links come from response bodies: never send our credentials anywhere else.
    if (absolute && (url.origin !== base.origin || !url.pathname.startsWith(`${basePath}/2.0/`))) {
      throw new ResponseShapeError(target, null, [
        { path: '(link)', code: 'foreign_link', message: 'a next/Location link points outside baseApiUrl' },
      ]);
    }
    appendQuery(url, request.query);
    url.search = toSearch(url);
    return { url, target };
  };

  const readBody = async (response: Response): Promise<{ body: unknown; isJson: boolean }> => {
    const text = await response.text();
    if (text.trim() === '') return { body: null, isJson: true };
    try {
      return { body: JSON.parse(text) as unknown, isJson: true };
    } catch {
      return { body: null, isJson: false };
    }
  };

  const attempt = async (request: HttpRequest, url: URL, target: RequestTarget, attemptIndex: number): Promise<AttemptOutcome> => {
    const pathAndQuery = `${url.pathname.slice(basePath.length)}${url.search}`;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: await getAuthorizationHeader(config.auth, request.method, pathAndQuery, now()),
    };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), config.timeoutMs);
    const startedAt = now();
    const logMeta = { method: request.method, path: target.path, attempt: attemptIndex, ...requestContext };
    try {
      const response = await config.fetch(url.href, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: controller.signal,
      });
      const { body, isJson } = await readBody(response);
      logger.debug('bitbucket request', { ...logMeta, status: response.status, durationMs: now() - startedAt });
      if (response.ok) {
        return { kind: 'ok', response: { status: response.status, headers: response.headers, body, isJson, target } };
      }
      const retryAfterHeader = response.headers.get('retry-after');
      const error = toBitbucketError(response.status, target, body, retryAfterHeader, now());
      const retryable = isRetryableStatus(response.status);
      // Retry-After is honoured on 503 as well as 429 (RFC 9110 allows it on both).
      const retryAfterMs = retryable ? parseRetryAfter(retryAfterHeader, now()) : null;
      return { kind: 'failed', error, retryable, unsent: false, retryAfterMs };
    } catch (cause) {
      const timedOut = controller.signal.aborted;
      const reason = timedOut ? 'timeout' : 'network';
      logger.debug('bitbucket request', { ...logMeta, status: null, failure: reason, durationMs: now() - startedAt });
      const message = timedOut
        ? `Bitbucket did not answer ${target.method} ${target.path} within ${config.timeoutMs} ms`
        : `Could not reach Bitbucket for ${target.method} ${target.path}`;
      const error = new ExternalHostError(message, target, { status: null, reason }, { cause });
      return { kind: 'failed', error, retryable: true, unsent: !timedOut && isUnsentNetworkError(cause), retryAfterMs: null };
    } finally {
      clearTimeout(timer);
    }
  };

  const send = async (request: HttpRequest): Promise<HttpResponse> => {
    const { url, target } = resolve(request);
    const mode = request.retry ?? (request.method === 'POST' ? 'unsent-only' : 'idempotent');
    const firstStartedAt = now();
    for (let attemptIndex = 0; ; attemptIndex += 1) {
      const outcome = await config.semaphore.run(() => attempt(request, url, target, attemptIndex));
      if (outcome.kind === 'ok') return outcome.response;
      const allowed = outcome.retryable && (mode === 'idempotent' || outcome.unsent);
      if (!allowed || attemptIndex >= config.retry.maxRetries) throw outcome.error;
      const delayMs = outcome.retryAfterMs ?? computeBackoffMs(attemptIndex, config.retry, config.random);
      if (now() - firstStartedAt + delayMs > config.retry.maxTotalMs) throw outcome.error;
      logger.warn('bitbucket request failed, retrying', {
        method: request.method,
        path: target.path,
        status: outcome.error.status,
        code: outcome.error.code,
        attempt: attemptIndex,
        delayMs,
        ...requestContext,
      });
      // The semaphore slot is released while we wait, so a backoff does not starve the tenant.
      await config.sleep(delayMs);
    }
  };

  const parseBody = <S extends z.ZodType>(response: HttpResponse, schema: S): z.output<S> => {
    if (!response.isJson) {
      throw new ResponseShapeError(response.target, response.status, [
        { path: '', code: 'invalid_json', message: 'body is not JSON' },
      ]);
    }
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) throw new ResponseShapeError(response.target, response.status, toIssues(parsed.error));
    return parsed.data;
  };

  return {
    send,
    sendJson: async (request, schema) => parseBody(await send(request), schema),
    parseBody,
    config,
  };
}
