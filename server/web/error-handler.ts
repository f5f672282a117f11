import type { ErrorRequestHandler } from 'express';
import { OAuthFlowError, UserAuthorizationError } from '../auth';
import { BitbucketError, ForbiddenError, RateLimitedError } from '../bitbucket';
import { WebhookPayloadError } from '../bitbucket/webhooks';
import { LifecycleRejectedError } from '../connect';
import { HostAuthError } from '../host';
import type { Logger } from '../log';
import { isDatabaseBusyError, RefreshLeaseBusyError } from '../storage';
import type { ApiErrorBody } from './api/contracts';
import { NotWorkspaceAdminError } from './api/not-workspace-admin-error';
import { TooManyRequestsError } from './api/too-many-requests-error';
import { NotFoundError, RequestValidationError, toMalformedRequest } from './request-validation-error';

interface Mapped {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
  connect?: ApiErrorBody['error']['connect'];
}

/** The one place that turns an error into an HTTP status and a body a person can act on. */
export function toHttpError(err: unknown): Mapped {
  if (err instanceof HostAuthError) return { status: 401, code: err.code, message: err.message };
  if (err instanceof UserAuthorizationError) {
    return { status: 403, code: err.code, message: err.message, connect: { reason: err.reason, requiredScopes: err.requiredScopes } };
  }
  if (err instanceof OAuthFlowError) return { status: 400, code: err.code, message: err.message };
  if (err instanceof LifecycleRejectedError) return { status: err.status, code: err.code, message: err.message };
  if (err instanceof RequestValidationError) return { status: 400, code: err.code, message: err.message };
  if (err instanceof WebhookPayloadError) return { status: 400, code: err.code, message: err.message };
  if (err instanceof NotFoundError) return { status: 404, code: err.code, message: err.message };
  if (err instanceof NotWorkspaceAdminError) return { status: 403, code: err.code, message: err.message };
  if (err instanceof TooManyRequestsError) {
    return { status: 429, code: err.code, message: err.message, headers: { 'Retry-After': String(err.retryAfterSeconds) } };
  }
  const malformed = toMalformedRequest(err);
  if (malformed) return malformed;
  if (isDatabaseBusyError(err) || err instanceof RefreshLeaseBusyError) {
    // Bitbucket redelivers a webhook answered 5xx, and people's pages retry: busy is never a 500.
    return { status: 503, code: 'DATABASE_BUSY', message: 'Bosun is busy storing other work; try again in a moment', headers: { 'Retry-After': '1' } };
  }
  if (err instanceof BitbucketError) {
    if (err.status === 404) return { status: 404, code: err.code, message: 'Bitbucket could not find that (it may have been deleted or moved)' };
    if (err instanceof ForbiddenError) {
      const needs = err.requiredScopes?.length ? ` It needs: ${err.requiredScopes.join(', ')}.` : '';
      return { status: 403, code: err.code, message: `Bitbucket refused Bosun access.${needs}` };
    }
    if (err instanceof RateLimitedError) {
      const seconds = err.retryAfterMs !== null ? Math.ceil(err.retryAfterMs / 1000) : 60;
      return {
        status: 503,
        code: err.code,
        message: `Bitbucket's rate limit was reached; try again in ${seconds} s`,
        headers: { 'Retry-After': String(seconds) },
      };
    }
    return { status: 502, code: err.code, message: `Bitbucket did not answer as expected (${err.message})` };
  }
  return { status: 500, code: 'INTERNAL', message: 'Something went wrong inside Bosun; the error was logged' };
}

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const mapped = toHttpError(err);
    const meta = { method: req.method, path: req.path, status: mapped.status, code: mapped.code };
    if (mapped.status >= 500) logger.error('Request failed', { ...meta, err });
    else logger.warn('Request refused', { ...meta, reason: mapped.message });
    if (res.headersSent) return;
    // An error is about this one request: no cache (browser or proxy) may replay it.
    res.setHeader('Cache-Control', 'no-store');
    for (const [k, v] of Object.entries(mapped.headers ?? {})) res.setHeader(k, v);
    const body: ApiErrorBody = { error: { code: mapped.code, message: mapped.message, ...(mapped.connect ? { connect: mapped.connect } : {}) } };
    res.status(mapped.status).json(body);
  };
}
