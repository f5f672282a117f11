import { ApiError } from './api-error';

/**
 * POST /api/agent/plan answered 422 (AgentPlanRefusal): Bosun could not turn the text into a plan.
 * Not a failure to show as an error: the UI offers the suggestions as examples to try instead.
 */
export class PlanRefusedError extends ApiError {
  override readonly code = 'PLAN_NOT_UNDERSTOOD';
  readonly suggestions: readonly string[];

  constructor(message: string, suggestions: readonly string[]) {
    super(422, 'PLAN_NOT_UNDERSTOOD', message);
    this.name = 'PlanRefusedError';
    this.suggestions = suggestions;
  }
}

export const isPlanRefusedError = (value: unknown): value is PlanRefusedError => value instanceof PlanRefusedError;
