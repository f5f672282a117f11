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
  UnexpectedStatusError,
  type BitbucketError,
  type RequestTarget,
  type ShapeIssue,
} from './errors';
import type { BitbucketLogger, BitbucketRequestContext } from './logger';
import { computeBackoffMs, isRetryableStatus, isUnsentNetworkError, type RetryPolicy } from './retry';
import type { Semaphore } from './semaphore';
import { appendQuery, toSearch, type Query, type QueryValue } from './url-query';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type { Query, QueryValue };

/**
 * - `idempotent`: retry every retryable failure (default for GET/PUT/DELETE, and POSTs whose
 *   repetition is harmless, like a build status with a fixed key).
 * - `unsent-only`: retry only when the request provably never left (default for POST).
 */
export type RetryMode = 'idempotent' | 'unsent-only';

/** Redirect hops followed for one request before giving up. */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HttpRequest {
  method: HttpMethod;
  /** A path below `/2.0` built with paths.ts, or an absolute URL from a `next`/`Location` link. */
  path: string;
  query?: Query;
  body?: unknown;
  /**
   * An application/x-www-form-urlencoded body instead of JSON (`POST …/src` takes its files and
   * meta data as form fields). A Connect JWT's qsh covers the method, path and query only, so form
   * fields are not part of it (atlassian-jwt's default; Bitbucket's own check is unverified).
   */
  form?: URLSearchParams;
  retry?: RetryMode;
  /** `text`: a 2xx body is kept as the raw string (files, logs); error bodies are still read as JSON. */
  responseType?: 'json' | 'text';
  /**
   * What a GET does with a 3xx whose `Location` leaves baseApiUrl. Default `refuse`
   * (UnexpectedStatusError). `unsigned`: follow it without credentials, for bodies Bitbucket
   * hands off to storage elsewhere (step logs move to long-term storage once a step completes).
   * Redirects inside baseApiUrl are always followed and signed again, since a JWT's qsh binds
   * the path: letting fetch follow them would resend a token for the wrong URL.
   */
  foreignRedirects?: 'refuse' | 'unsigned';
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty or non-JSON body; the raw string for `responseType: 'text'`. */
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
  /** {@link send} with `responseType: 'text'`: resolves with the raw body ("" when empty). */
  sendText(request: HttpRequest): Promise<string>;
  /** Validates an already received body (for callers that branch on the status first). */
  parseBody<S extends z.ZodType>(response: HttpResponse, schema: S): z.output<S>;
  readonly config: Readonly<HttpTransportConfig>;
}

/** Where one hop of a request goes; `signed: false` only after a redirect out of baseApiUrl. */
interface Hop {
  url: URL;
  target: RequestTarget;
  signed: boolean;
}

type AttemptOutcome =
  | { kind: 'ok'; response: HttpResponse }
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'failed'; error: BitbucketError; retryable: boolean; unsent: boolean; retryAfterMs: number | null };

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

  const isInsideApi = (url: URL): boolean => url.origin === base.origin && url.pathname.startsWith(`${basePath}/2.0/`);

  const resolve = (request: HttpRequest): Hop => {
    const absolute = /^https?:\/\//i.test(request.path);
    const url = new URL(absolute ? request.path : `${apiRoot}${request.path}`);
    const relativePath = url.pathname.slice(basePath.length);
    const target = { method: request.method, path: relativePath };
    // Links come from response bodies: never send our credentials anywhere else.
    if (absolute && !isInsideApi(url)) {
      throw new ResponseShapeError(target, null, [
        { path: '(link)', code: 'foreign_link', message: 'a next/Location link points outside baseApiUrl' },
      ]);
    }
    appendQuery(url, request.query);
    url.search = toSearch(url);
    return { url, target, signed: true };
  };

  /** The next hop for a 3xx; the Location already carries its own query. */
  const resolveRedirect = (request: HttpRequest, from: Hop, location: string, status: number): Hop => {
    const url = new URL(location, from.url);
    if (isInsideApi(url)) {
      url.search = toSearch(url);
      return { url, target: { method: request.method, path: url.pathname.slice(basePath.length) }, signed: true };
    }
    if (request.foreignRedirects === 'unsigned' && url.protocol === 'https:') {
      // Errors keep naming the API path: the foreign URL may carry a presigned query.
      return { url, target: from.target, signed: false };
    }
    throw new UnexpectedStatusError(
      `Bitbucket redirected ${from.target.method} ${from.target.path} outside baseApiUrl; not followed with credentials`,
      from.target,
      null,
      status,
    );
  };

  const readBody = async (response: Response, responseType: HttpRequest['responseType']): Promise<{ body: unknown; isJson: boolean }> => {
    const text = await response.text();
    if (response.ok && responseType === 'text') return { body: text, isJson: false };
    if (text.trim() === '') return { body: null, isJson: true };
    try {
      return { body: JSON.parse(text) as unknown, isJson: true };
    } catch {
      return { body: null, isJson: false };
    }
  };

  const attempt = async (request: HttpRequest, hop: Hop, attemptIndex: number): Promise<AttemptOutcome> => {
    const { url, target } = hop;
    const pathAndQuery = `${url.pathname.slice(basePath.length)}${url.search}`;
    const headers: Record<string, string> = { Accept: request.responseType === 'text' ? '*/*' : 'application/json' };
    if (hop.signed) headers['Authorization'] = await getAuthorizationHeader(config.auth, request.method, pathAndQuery, now());
    if (request.form !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    else if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), config.timeoutMs);
    const startedAt = now();
    const logMeta = { method: request.method, path: target.path, attempt: attemptIndex, ...requestContext };
    try {
      const response = await config.fetch(url.href, {
        method: request.method,
        headers,
        body: request.form !== undefined ? request.form.toString() : request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: controller.signal,
        redirect: 'manual',
      });
      const { body, isJson } = await readBody(response, request.responseType);
      logger.debug('bitbucket request', {
        ...logMeta,
        status: response.status,
        durationMs: now() - startedAt,
        ...(hop.signed ? {} : { unsignedRedirect: true }),
      });
      const location = response.headers.get('location');
      if (REDIRECT_STATUSES.has(response.status) && request.method === 'GET' && location !== null) {
        return { kind: 'redirect', status: response.status, location };
      }
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
    let hop = resolve(request);
    const mode = request.retry ?? (request.method === 'POST' ? 'unsent-only' : 'idempotent');
    const firstStartedAt = now();
    let redirects = 0;
    for (let attemptIndex = 0; ; attemptIndex += 1) {
      const current = hop;
      const outcome = await config.semaphore.run(() => attempt(request, current, attemptIndex));
      if (outcome.kind === 'ok') return outcome.response;
      if (outcome.kind === 'redirect') {
        if (redirects >= MAX_REDIRECTS) {
          throw new UnexpectedStatusError(
            `Bitbucket redirected ${current.target.method} ${current.target.path} more than ${MAX_REDIRECTS} times`,
            current.target,
            null,
            outcome.status,
          );
        }
        redirects += 1;
        hop = resolveRedirect(request, current, outcome.location, outcome.status);
        // A hop is not a failed attempt: it does not use up a retry.
        attemptIndex -= 1;
        continue;
      }
      const allowed = outcome.retryable && (mode === 'idempotent' || outcome.unsent);
      if (!allowed || attemptIndex >= config.retry.maxRetries) throw outcome.error;
      const delayMs = outcome.retryAfterMs ?? computeBackoffMs(attemptIndex, config.retry, config.random);
      if (now() - firstStartedAt + delayMs > config.retry.maxTotalMs) throw outcome.error;
      logger.warn('bitbucket request failed, retrying', {
        method: request.method,
        path: current.target.path,
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
    sendText: async (request) => {
      const response = await send({ ...request, responseType: 'text' });
      return typeof response.body === 'string' ? response.body : '';
    },
    parseBody,
    config,
  };
}
