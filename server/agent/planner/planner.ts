import type { Plan } from '../executor/plan';
import type { ToolTenant } from '../tools/tool';
import type { ToolCatalog } from '../tools/tool-catalog';

export interface PlannerRepo {
  workspace: string;
  slug?: string;
  uuid?: string;
}

export interface PlannerContext {
  tenant: ToolTenant;
  /** The repository the request was made in (a PR comment, a repo page), if any. */
  repo?: PlannerRepo;
  pullRequestId?: number;
  tools: ToolCatalog;
}

/** What a planner answers when it cannot make a plan: why, and what the person could say instead. */
export interface PlanningError {
  error: string;
  suggestions: string[];
}

export type PlanOutcome = Plan | PlanningError;

export interface Planner {
  plan(text: string, ctx: PlannerContext): Promise<PlanOutcome>;
}

export function isPlanningError(outcome: PlanOutcome): outcome is PlanningError {
  return 'error' in outcome;
}

/** `{workspace, repo}` tool input fields for the context's repository, or null. */
export function toRepoInput(repo: PlannerRepo | undefined): { workspace: string; repo: string } | null {
  if (!repo) return null;
  const id = repo.slug ?? repo.uuid;
  return id ? { workspace: repo.workspace, repo: id } : null;
}

/** Tries planners in order; the first plan wins, else the first planner's error (it knows the most specific phrasing). */
export function createPlannerChain(planners: readonly Planner[]): Planner {
  return {
    async plan(text, ctx) {
      let first: PlanningError | null = null;
      for (const planner of planners) {
        const outcome = await planner.plan(text, ctx);
        if (!isPlanningError(outcome)) return outcome;
        first ??= outcome;
      }
      return first ?? { error: 'No planner is configured.', suggestions: [] };
    },
  };
}
