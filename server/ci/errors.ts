/**
 * Errors the CI adapters raise, each with a literal `code`. Messages name what is wrong in the
 * payload (a field path, an event name) and never echo secrets or whole bodies, so they are safe
 * to return to the CI system and to log.
 */
import type { z } from 'zod';
import { PermanentError } from '../errors';

/** The body is not what the provider documents: the message names the first fields at fault. */
export class CiPayloadError extends PermanentError<'CI_PAYLOAD_INVALID'> {
  readonly problems: string[];

  constructor(message: string, problems: string[] = []) {
    super('CI_PAYLOAD_INVALID', 400, problems.length > 0 ? `${message}: ${problems.join('; ')}` : message);
    this.problems = problems;
  }
}

/** No adapter for this provider name (the path segment of `POST /ci/{provider}/…`). */
export class UnknownCiProviderError extends PermanentError<'CI_UNKNOWN_PROVIDER'> {
  readonly provider: string;

  constructor(provider: string) {
    super('CI_UNKNOWN_PROVIDER', 404, `Unknown CI provider "${provider.slice(0, 40)}"`);
    this.provider = provider.slice(0, 40);
  }
}

/** No integration with this id for this provider (deleted, or a mistyped URL). */
export class UnknownCiIntegrationError extends PermanentError<'CI_UNKNOWN_INTEGRATION'> {
  constructor() {
    super('CI_UNKNOWN_INTEGRATION', 404, 'No CI integration at this URL: copy the endpoint URL from Bosun’s admin settings');
  }
}

/** The signature or token is missing or does not match the integration's secret. */
export class CiSignatureError extends PermanentError<'CI_SIGNATURE_INVALID'> {
  constructor(message: string) {
    super('CI_SIGNATURE_INVALID', 401, message);
  }
}

/** The build names a repository or commit Bitbucket does not have (or Bosun cannot see). */
export class CiTargetNotFoundError extends PermanentError<'CI_TARGET_NOT_FOUND'> {
  constructor(message: string) {
    super('CI_TARGET_NOT_FOUND', 422, message);
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
