/**
 * Errors the CI adapters raise, each with a literal `code`. Messages name what is wrong in the
 * payload (a field path, an event name) and never echo secrets or whole bodies, so they are safe
 * to return to the CI system and to log.
 */
import type { z } from 'zod';

/** The body is not what the provider documents: the message names the first fields at fault. */
export class CiPayloadError extends Error {
  readonly code = 'CI_PAYLOAD_INVALID' as const;
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
  readonly provider: string;

  constructor(provider: string) {
    super(`Unknown CI provider "${provider.slice(0, 40)}"`);
    this.name = 'UnknownCiProviderError';
    this.provider = provider.slice(0, 40);
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
