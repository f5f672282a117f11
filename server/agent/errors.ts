/**
 * Errors the agent raises, each with a literal `code`. The OAuth token vault (server/auth/)
 * throws NotConnectedError and MissingScopesError through the ClientResolver port.
 */

/** The user has not connected their Bitbucket account (or disconnected it). */
export class NotConnectedError extends Error {
  readonly code = 'AGENT_NOT_CONNECTED' as const;
  readonly httpStatus = 403;
  readonly retryable = false;
  readonly retryAfterMs = null;
  readonly userUuid: string | null;
  readonly requiredScopes: string[];

  constructor(message: string, details: { userUuid: string | null; requiredScopes: string[] }) {
    super(message);
    this.name = 'NotConnectedError';
    this.userUuid = details.userUuid;
    this.requiredScopes = details.requiredScopes;
  }
}

/** Credentials exist but were granted fewer scopes than the action needs. */
export class MissingScopesError extends Error {
  readonly code = 'AGENT_MISSING_SCOPES' as const;
  readonly httpStatus = 403;
  readonly retryable = false;
  readonly retryAfterMs = null;
  /** Every scope the action needs. */
  readonly requiredScopes: string[];
  /** The ones not covered by what was granted (through the implication lattice). */
  readonly missingScopes: string[];
  /** Whose credentials fall short. */
  readonly actsAs: 'installation' | 'user';

  constructor(
    message: string,
    details: { requiredScopes: string[]; missingScopes?: string[]; actsAs?: 'installation' | 'user' },
  ) {
    super(message);
    this.name = 'MissingScopesError';
    this.requiredScopes = details.requiredScopes;
    this.missingScopes = details.missingScopes ?? details.requiredScopes;
    this.actsAs = details.actsAs ?? 'user';
  }
}

/** A destructive or multi-repository plan was executed without `confirmed: true`. */
export class ConfirmationRequiredError extends Error {
  readonly code = 'AGENT_CONFIRMATION_REQUIRED' as const;
  readonly httpStatus = 409;
  readonly retryable = false;
  readonly retryAfterMs = null;
  readonly reasons: string[];

  constructor(reasons: string[]) {
    super(`This plan needs confirmation before it runs: ${reasons.join('; ')}`);
    this.name = 'ConfirmationRequiredError';
    this.reasons = reasons;
  }
}

/** A plan names an unknown tool or gives a tool input its schema refuses. Nothing ran. */
export class InvalidPlanError extends Error {
  readonly code = 'AGENT_INVALID_PLAN' as const;
  readonly httpStatus = 400;
  readonly retryable = false;
  readonly retryAfterMs = null;
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`The plan is not valid: ${problems.join('; ')}`);
    this.name = 'InvalidPlanError';
    this.problems = problems;
  }
}

/** Another execute with the same idempotency key is still running after the wait budget. */
export class ExecutionInProgressError extends Error {
  readonly code = 'AGENT_EXECUTION_IN_PROGRESS' as const;
  readonly httpStatus = 409;
  readonly retryable = true;
  readonly retryAfterMs = 1000;
  readonly idempotencyKey: string;

  constructor(idempotencyKey: string) {
    super('An earlier request with the same idempotency key is still running; try again shortly');
    this.name = 'ExecutionInProgressError';
    this.idempotencyKey = idempotencyKey;
  }
}

/**
 * This run's hold on its idempotency key ran out and another run took the execution over (this
 * process stalled past its lease). It stops before its next step and records nothing; a retry
 * replays the other run's outcome.
 */
export class ExecutionTakenOverError extends Error {
  readonly code = 'AGENT_EXECUTION_TAKEN_OVER' as const;
  /** The other run's outcome is the answer: a retry replays it. */
  readonly httpStatus = 409;
  readonly retryable = true;
  readonly retryAfterMs = null;
  readonly idempotencyKey: string;

  constructor(idempotencyKey: string) {
    super('Another run took this execution over after its lease ran out; its outcome is not recorded here');
    this.name = 'ExecutionTakenOverError';
    this.idempotencyKey = idempotencyKey;
  }
}

/**
 * A tool refused on its own terms (a declined PR cannot be merged, the main branch cannot be
 * deleted). The message is written for people and shown as is.
 */
export class ToolError extends Error {
  readonly code = 'AGENT_TOOL_REFUSED' as const;
  readonly httpStatus = 422;
  readonly retryable = false;
  readonly retryAfterMs = null;

  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}
