/**
 * Errors the CI adapters raise, each with a literal `code`. Messages name what is wrong in the
 * payload (a field path, an event name) and never echo secrets or whole bodies, so they are safe
 * to return to the CI system and to log.
 */
import type { z } from 'zod';

/** The body is not what the provider documents: the message names the first fields at fault. */
export class CiPayloadError extends Error {
  readonly code = 'CI_PAYLOAD_INVALID' as const;
  readonly httpStatus = 400;
  readonly retryable = false;
  readonly retryAfterMs = null;
  readonly problems: string[];

  constructor(message: string, problems: string[] = []) {
    super(problems.length > 0 ? `${message}: ${problems.join('; ')}` : message);
    this.name = 'CiPayloadError';
    this.problems = problems;
  }
}

/** No adapter for this provider name (the path segment of `POST /ci/{provider}/…`). */
export class UnknownCiProviderError extends Error {
  readonly code = 'CI_UNKNOWN_PROVIDER' as const;
  readonly httpStatus = 404;
  readonly retryable = false;
  readonly retryAfterMs = null;
  readonly provider: string;

  constructor(provider: string) {
    super(`Unknown CI provider "${provider.slice(0, 40)}"`);
    this.name = 'UnknownCiProviderError';
    this.provider = provider.slice(0, 40);
  }
}

/** No integration with this id for this provider (deleted, or a mistyped URL). */
export class UnknownCiIntegrationError extends Error {
  readonly code = 'CI_UNKNOWN_INTEGRATION' as const;
  readonly httpStatus = 404;
  readonly retryable = false;
  readonly retryAfterMs = null;

  constructor() {
    super('No CI integration at this URL: copy the endpoint URL from Bosun’s admin settings');
    this.name = 'UnknownCiIntegrationError';
  }
}

/** The signature or token is missing or does not match the integration's secret. */
export class CiSignatureError extends Error {
  readonly code = 'CI_SIGNATURE_INVALID' as const;
  readonly httpStatus = 401;
  readonly retryable = false;
  readonly retryAfterMs = null;

  constructor(message: string) {
    super(message);
    this.name = 'CiSignatureError';
  }
}

/** The build names a repository or commit Bitbucket does not have (or Bosun cannot see). */
export class CiTargetNotFoundError extends Error {
  readonly code = 'CI_TARGET_NOT_FOUND' as const;
  readonly httpStatus = 422;
  readonly retryable = false;
  readonly retryAfterMs = null;

  constructor(message: string) {
    super(message);
    this.name = 'CiTargetNotFoundError';
  }
}

const MAX_PROBLEMS = 5;

/** Turns zod issues into "path: message" lines, at most five, for a 4xx a person can act on. */
export function toPayloadProblems(error: z.ZodError): string[] {
  return error.issues.slice(0, MAX_PROBLEMS).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path.length > 0 ? `${path}: ${issue.message}` : issue.message;
  });
}
