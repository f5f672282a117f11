/**
 * Every way a Bitbucket call can fail, classified in one place ({@link toBitbucketError})
 * so callers branch on a literal `code` instead of on raw HTTP statuses.
 * Messages name the method and path (never the query, never a header) so they are safe to log.
 */
import { errorBodySchema } from './schemas/error-body';

/** Where a failed request was going: enough to debug, nothing secret. */
export interface RequestTarget {
  method: string;
  /** Path below baseApiUrl, without the query string (queries may carry user input). */
  path: string;
}

/**
 * Base of every error this client throws. Besides Bitbucket's `status` each carries Bosun's error
 * model (server/errors/, matched by shape: this folder imports nothing of ours): `httpStatus` Bosun
 * answers, whether trying again later may help, and after how long.
 */
export abstract class BitbucketError extends Error {
  abstract readonly code: string;
  abstract readonly status: number | null;
  /** Most failures of Bitbucket are a bad gateway from Bosun's side. */
  readonly httpStatus: number = 502;
  readonly retryable: boolean = false;
  readonly retryAfterMs: number | null = null;
  readonly method: string;
  readonly path: string;
  /** Bitbucket's own `error.message`, when the body had one. */
  readonly bitbucketMessage: string | null;

  constructor(message: string, target: RequestTarget, bitbucketMessage: string | null = null, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.method = target.method;
    this.path = target.path;
    this.bitbucketMessage = bitbucketMessage;
  }

  /** What a person is told when this ends a request (the message itself names API paths). */
  get publicMessage(): string {
    return `Bitbucket did not answer as expected (${this.message})`;
  }
}

export class BadRequestError extends BitbucketError {
  readonly code = 'BITBUCKET_BAD_REQUEST' as const;
  readonly status = 400 as const;
}

/** 401: the JWT or OAuth token was refused (wrong sharedSecret, clock skew, expired token). */
export class UnauthorizedError extends BitbucketError {
  readonly code = 'BITBUCKET_UNAUTHORIZED' as const;
  readonly status = 401 as const;
}

/**
 * 403. When the cause is a missing OAuth/Connect scope Bitbucket lists the scopes in
 * `error.detail.required` / `error.detail.granted`; both are null when it did not say.
 */
export class ForbiddenError extends BitbucketError {
  readonly code = 'BITBUCKET_FORBIDDEN' as const;
  readonly status = 403 as const;
  override readonly httpStatus = 403;
  readonly requiredScopes: string[] | null;
  readonly grantedScopes: string[] | null;

  constructor(
    message: string,
    target: RequestTarget,
    bitbucketMessage: string | null,
    scopes: { required: string[] | null; granted: string[] | null },
  ) {
    super(message, target, bitbucketMessage);
    this.requiredScopes = scopes.required;
    this.grantedScopes = scopes.granted;
  }

  override get publicMessage(): string {
    const needs = this.requiredScopes?.length ? ` It needs: ${this.requiredScopes.join(', ')}.` : '';
    return `Bitbucket refused Bosun access.${needs}`;
  }
}

/** 404: also what Bitbucket answers for a private repository the caller cannot see. */
export class NotFoundError extends BitbucketError {
  readonly code = 'BITBUCKET_NOT_FOUND' as const;
  readonly status = 404 as const;
  override readonly httpStatus = 404;

  override get publicMessage(): string {
    return 'Bitbucket could not find that (it may have been deleted or moved)';
  }
}

/** 409: e.g. a merge where a ref moved underneath. */
export class ConflictError extends BitbucketError {
  readonly code = 'BITBUCKET_CONFLICT' as const;
  readonly status = 409 as const;
  /** A ref moved underneath: the next attempt sees the new state. */
  override readonly retryable = true;
}

/** 429 after retries. `retryAfterMs` is null when Bitbucket sent no Retry-After (it often does not). */
export class RateLimitedError extends BitbucketError {
  readonly code = 'BITBUCKET_RATE_LIMITED' as const;
  readonly status = 429 as const;
  /** Bosun is not limiting the caller: Bitbucket is limiting Bosun, so the answer is "unavailable". */
  override readonly httpStatus = 503;
  override readonly retryable = true;
  override readonly retryAfterMs: number | null;

  constructor(message: string, target: RequestTarget, bitbucketMessage: string | null, retryAfterMs: number | null) {
    super(message, target, bitbucketMessage);
    this.retryAfterMs = retryAfterMs;
  }

  override get publicMessage(): string {
    return `Bitbucket's rate limit was reached; try again in ${Math.ceil((this.retryAfterMs ?? 60_000) / 1000)} s`;
  }
}

export type ExternalHostFailure = 'status' | 'network' | 'timeout' | 'pending';

/**
 * Bitbucket was unreachable or broken: a 5xx (including Bitbucket's 555 "merge timed out"),
 * a network error or a timeout, after retries. `status` is null when no response arrived.
 */
export class ExternalHostError extends BitbucketError {
  readonly code = 'BITBUCKET_EXTERNAL_HOST' as const;
  readonly status: number | null;
  readonly reason: ExternalHostFailure;
  override readonly retryable = true;

  constructor(
    message: string,
    target: RequestTarget,
    details: { status: number | null; reason: ExternalHostFailure; bitbucketMessage?: string | null },
    options?: ErrorOptions,
  ) {
    super(message, target, details.bitbucketMessage ?? null, options);
    this.status = details.status;
    this.reason = details.reason;
  }
}

export interface ShapeIssue {
  path: string;
  code: string;
  message: string;
}

/** The response did not match our schema. Carries where (zod issue paths), never the body itself. */
export class ResponseShapeError extends BitbucketError {
  readonly code = 'BITBUCKET_RESPONSE_SHAPE' as const;
  readonly status: number | null;
  readonly issues: ShapeIssue[];

  constructor(target: RequestTarget, status: number | null, issues: ShapeIssue[]) {
    const where = issues
      .slice(0, 5)
      .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
      .join('; ');
    super(`Bitbucket's response to ${target.method} ${target.path} had an unexpected shape (${where})`, target);
    this.status = status;
    this.issues = issues;
  }
}

/** Any status the classes above do not cover (410, 422, a 3xx we did not follow…). */
export class UnexpectedStatusError extends BitbucketError {
  readonly code = 'BITBUCKET_UNEXPECTED_STATUS' as const;
  readonly status: number;

  constructor(message: string, target: RequestTarget, bitbucketMessage: string | null, status: number) {
    super(message, target, bitbucketMessage);
    this.status = status;
  }
}

/** Every error this client throws, told apart by its literal `code` (the classes above are all there is). */
export type BitbucketFailure =
  | BadRequestError
  | UnauthorizedError
  | ForbiddenError
  | NotFoundError
  | ConflictError
  | RateLimitedError
  | ExternalHostError
  | ResponseShapeError
  | UnexpectedStatusError;

export type BitbucketErrorCode = BitbucketFailure['code'];

/**
 * This client's failure with its typed detail, or null for anything else. Callers outside this
 * folder switch on the `code` it carries (a literal) instead of on the classes.
 */
export function asBitbucketFailure(value: unknown): BitbucketFailure | null {
  return value instanceof BitbucketError ? (value as BitbucketFailure) : null;
}

/** Whether `value` is this client's failure with `code` (e.g. `BITBUCKET_NOT_FOUND`), narrowed to its detail. */
export function isBitbucketFailure<C extends BitbucketErrorCode>(value: unknown, code: C): value is Extract<BitbucketFailure, { code: C }> {
  return asBitbucketFailure(value)?.code === code;
}

/** Errors worth another attempt later: rate limits and host trouble (never 4xx decisions). */
export function isRetryableBitbucketError(value: unknown): value is RateLimitedError | ExternalHostError {
  return value instanceof RateLimitedError || value instanceof ExternalHostError;
}

/**
 * Reads Retry-After as delta-seconds or an HTTP-date.
 * Bitbucket does not promise the header on 429:
 * https://support.atlassian.com/bitbucket-cloud/docs/api-request-limits/
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

interface ParsedErrorBody {
  message: string | null;
  required: string[] | null;
  granted: string[] | null;
}

function readErrorBody(body: unknown): ParsedErrorBody {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return { message: null, required: null, granted: null };
  const { message, detail } = parsed.data.error;
  if (detail !== undefined && typeof detail === 'object' && detail !== null) {
    return { message, required: detail.required ?? null, granted: detail.granted ?? null };
  }
  return { message, required: null, granted: null };
}

/**
 * Maps a non-2xx response to its error class. The only place that knows which status means what.
 * `body` is the parsed JSON body, or null when there was none or it was not JSON.
 */
export function toBitbucketError(
  status: number,
  target: RequestTarget,
  body: unknown,
  retryAfterHeader: string | null,
  nowMs: number,
): BitbucketError {
  const { message: bbMessage, required, granted } = readErrorBody(body);
  const where = `${target.method} ${target.path}`;
  const said = bbMessage ? `: ${bbMessage}` : '';
  switch (status) {
    case 400:
      return new BadRequestError(`Bitbucket rejected ${where} as invalid${said}`, target, bbMessage);
    case 401:
      return new UnauthorizedError(
        `Bitbucket refused the credentials for ${where}${said}. For a Connect tenant check that the stored sharedSecret is current (reinstalls rotate it) and that the server clock is right; for a user token, refresh or reconnect it.`,
        target,
        bbMessage,
      );
    case 403: {
      const scopeHint =
        required !== null
          ? ` Missing scope(s): ${required.join(', ') || '(none listed)'}; granted: ${granted?.join(', ') || '(none)'}. Add the scope to the app descriptor (or OAuth consumer) and have the workspace admin approve the update.`
          : '';
      return new ForbiddenError(`Bitbucket denied ${where}${said}.${scopeHint}`, target, bbMessage, { required, granted });
    }
    case 404:
      return new NotFoundError(`Bitbucket found nothing at ${where}${said}`, target, bbMessage);
    case 409:
      return new ConflictError(`Bitbucket reported a conflict on ${where}${said}`, target, bbMessage);
    case 429: {
      const retryAfterMs = parseRetryAfter(retryAfterHeader, nowMs);
      return new RateLimitedError(`Bitbucket rate-limited ${where}${said}`, target, bbMessage, retryAfterMs);
    }
    default:
      if (status >= 500) {
        return new ExternalHostError(`Bitbucket failed with ${status} on ${where}${said}`, target, {
          status,
          reason: 'status',
          bitbucketMessage: bbMessage,
        });
      }
      return new UnexpectedStatusError(`Bitbucket answered ${status} to ${where}${said}`, target, bbMessage, status);
  }
}
