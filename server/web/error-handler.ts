import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { toBosunError, type BosunError, type ErrorClassifier } from '../errors';
import type { Logger } from '../log';
import type { ApiErrorBody } from './api/contracts';
import { toMalformedRequest } from './request-validation-error';

interface Mapped {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
  connect?: ApiErrorBody['error']['connect'];
}

const INTERNAL: Mapped = { status: 500, code: 'INTERNAL', message: 'Something went wrong inside Bosun; the error was logged' };
/** A 429 or 503 always says when to come back; this when the error itself does not know. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Optional fields of the model an error may add: a message for people, and what a Connect prompt needs. */
function readExtras(err: BosunError): { publicMessage: string | null; connect: ApiErrorBody['error']['connect'] | null } {
  const e = err as BosunError & { publicMessage?: unknown; connectPrompt?: unknown };
  const publicMessage = typeof e.publicMessage === 'string' ? e.publicMessage : null;
  const prompt = e.connectPrompt as ApiErrorBody['error']['connect'] | undefined;
  return { publicMessage, connect: prompt && typeof prompt === 'object' ? prompt : null };
}

/**
 * The one place that turns an error into an HTTP status and a body a person can act on. It reads
 * the error model's fields (server/errors/); `classifiers` turn libraries' errors (a busy database)
 * into the model. Anything else is a bug: 500, logged, no detail shown.
 */
export function toHttpError(err: unknown, classifiers: readonly ErrorClassifier[] = []): Mapped {
  const known = toBosunError(err, classifiers);
  if (!known) return toMalformedRequest(err) ?? INTERNAL;
  // Bosun's own failures (configuration, keys, the queue) say nothing useful to the caller.
  if (known.httpStatus === 500) return INTERNAL;
  const { publicMessage, connect } = readExtras(known);
  const mapped: Mapped = { status: known.httpStatus, code: known.code, message: publicMessage ?? known.message };
  if (connect) mapped.connect = connect;
  if (known.retryable && (known.httpStatus === 429 || known.httpStatus === 503)) {
    // Bitbucket redelivers a webhook answered 5xx, and people's pages retry: say when.
    mapped.headers = { 'Retry-After': String(Math.max(1, Math.ceil((known.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS) / 1000))) };
  }
  return mapped;
}

/** The request fields an error answer names in its log line. */
export interface ErroredRequest {
  method?: string;
  url?: string;
}

/**
 * Answers `err` on a plain Node response: the status, headers and JSON body the error model maps it to,
 * logged once (5xx as errors, the rest as refusals). Express's error handler and the webhook fast path
 * (webhook-fast-path.ts), which answers without Express's request and response objects, both use it.
 */
export function sendHttpError(err: unknown, req: ErroredRequest, res: ServerResponse, logger: Logger, classifiers: readonly ErrorClassifier[] = []): void {
  const mapped = toHttpError(err, classifiers);
  const meta = { method: req.method, path: (req.url ?? '').split('?')[0], status: mapped.status, code: mapped.code };
  if (mapped.status >= 500) logger.error('Request failed', { ...meta, err });
  else logger.warn('Request refused', { ...meta, reason: mapped.message });
  if (res.headersSent) return;
  // An error is about this one request: no cache (browser or proxy) may replay it.
  res.setHeader('Cache-Control', 'no-store');
  for (const [k, v] of Object.entries(mapped.headers ?? {})) res.setHeader(k, v);
  const body: ApiErrorBody = { error: { code: mapped.code, message: mapped.message, ...(mapped.connect ? { connect: mapped.connect } : {}) } };
  const json = JSON.stringify(body);
  res.statusCode = mapped.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(req.method === 'HEAD' ? undefined : json);
}

export function createErrorHandler(logger: Logger, classifiers: readonly ErrorClassifier[] = []): ErrorRequestHandler {
  // req.originalUrl: the path as requested, whatever router the error came from (req.url is relative to its mount).
  return (err, req, res, _next) => sendHttpError(err, { method: req.method, url: req.originalUrl }, res, logger, classifiers);
}
