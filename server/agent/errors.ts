import { PermanentError, RetryableError } from '../errors';

/**
 * Errors the agent raises, each with a literal `code` (on errors/PermanentError or errors/RetryableError). The OAuth token vault (server/auth/)
 * throws NotConnectedError and MissingScopesError through the ClientResolver port.
 */

/** The user has not connected their Bitbucket account (or disconnected it). */
export class NotConnectedError extends PermanentError<'AGENT_NOT_CONNECTED'> {
  readonly userUuid: string | null;
  readonly requiredScopes: string[];

  constructor(message: string, details: { userUuid: string | null; requiredScopes: string[] }) {
    super('AGENT_NOT_CONNECTED', 403, message);
    this.userUuid = details.userUuid;
    this.requiredScopes = details.requiredScopes;
  }
}

/** Credentials exist but were granted fewer scopes than the action needs. */
export class MissingScopesError extends PermanentError<'AGENT_MISSING_SCOPES'> {
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
    super('AGENT_MISSING_SCOPES', 403, message);
    this.requiredScopes = details.requiredScopes;
    this.missingScopes = details.missingScopes ?? details.requiredScopes;
    this.actsAs = details.actsAs ?? 'user';
  }
}

/** A destructive or multi-repository plan was executed without `confirmed: true`. */
export class ConfirmationRequiredError extends PermanentError<'AGENT_CONFIRMATION_REQUIRED'> {
  readonly reasons: string[];

  constructor(reasons: string[]) {
    super('AGENT_CONFIRMATION_REQUIRED', 409, `This plan needs confirmation before it runs: ${reasons.join('; ')}`);
    this.reasons = reasons;
  }
}

/** A plan names an unknown tool or gives a tool input its schema refuses. Nothing ran. */
export class InvalidPlanError extends PermanentError<'AGENT_INVALID_PLAN'> {
  readonly problems: string[];

  constructor(problems: string[]) {
    super('AGENT_INVALID_PLAN', 400, `The plan is not valid: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** Another execute with the same idempotency key is still running after the wait budget. */
export class ExecutionInProgressError extends RetryableError<'AGENT_EXECUTION_IN_PROGRESS'> {
  readonly idempotencyKey: string;

  constructor(idempotencyKey: string) {
    super('AGENT_EXECUTION_IN_PROGRESS', 409, 1000, 'An earlier request with the same idempotency key is still running; try again shortly');
    this.idempotencyKey = idempotencyKey;
  }
}

/**
 * This run's hold on its idempotency key ran out and another run took the execution over (this
 * process stalled past its lease). It stops before its next step and records nothing; a retry
 * replays the other run's outcome.
 */
export class ExecutionTakenOverError extends RetryableError<'AGENT_EXECUTION_TAKEN_OVER'> {
  readonly idempotencyKey: string;

  constructor(idempotencyKey: string) {
    // The other run's outcome is the answer: a retry replays it.
    super('AGENT_EXECUTION_TAKEN_OVER', 409, null, 'Another run took this execution over after its lease ran out; its outcome is not recorded here');
    this.idempotencyKey = idempotencyKey;
  }
}

/**
 * A tool refused on its own terms (a declined PR cannot be merged, the main branch cannot be
 * deleted). The message is written for people and shown as is.
 */
export class ToolError extends PermanentError<'AGENT_TOOL_REFUSED'> {

  constructor(message: string) {
    super('AGENT_TOOL_REFUSED', 422, message);
  }
}

/** The agent's errors a step can end with, told apart by their literal `code`. */
export type AgentFailure = NotConnectedError | MissingScopesError | ConfirmationRequiredError | InvalidPlanError | ExecutionInProgressError | ExecutionTakenOverError | ToolError;

const AGENT_FAILURES = [NotConnectedError, MissingScopesError, ConfirmationRequiredError, InvalidPlanError, ExecutionInProgressError, ExecutionTakenOverError, ToolError];

/** One of the agent's own errors with its typed detail, or null: callers switch on its `code`. */
export function asAgentFailure(value: unknown): AgentFailure | null {
  return AGENT_FAILURES.some((kind) => value instanceof kind) ? (value as AgentFailure) : null;
}
