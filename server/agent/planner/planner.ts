import type { Plan } from '../executor/plan';
import type { ToolTenant } from '../tools/tool';
import type { ToolCatalog } from '../tools/tool-catalog';

export interface PlannerRepo {
  workspace: string;
  slug?: string;
  uuid?: string;
}

/** Someone the request may name: a PR participant or workspace member. */
export interface PlannerPerson {
  nickname?: string | null;
  displayName?: string | null;
  /** `{uuid}` Bitbucket knows them by. */
  uuid?: string | null;
}

/** What the page the person stands on shows: defaults for implicit objects ("the source branch"), names to resolve. */
export interface PlannerFacts {
  pullRequest?: { title?: string; sourceBranch?: string; destinationBranch?: string };
  /** PR author, reviewers, participants: "@ada", "Ada" and "Ada Lovelace" resolve against these. */
  people?: readonly PlannerPerson[];
}

export interface PlannerContext {
  tenant: ToolTenant;
  /** The repository the request was made in (a PR comment, a repo page), if any. */
  repo?: PlannerRepo;
  pullRequestId?: number;
  tools: ToolCatalog;
  facts?: PlannerFacts;
}

/** What a planner answers when it cannot make a plan: why, and what the person could say instead. */
export interface PlanningError {
  error: string;
  suggestions: string[];
}

/** One answer to a clarifying question: `text` is a complete request the UI sends back as is. */
export interface ClarificationChoice {
  label: string;
  text: string;
}

/** The request is ambiguous or incomplete: Bosun asks back with the choices it sees. */
export interface PlanningClarification {
  clarification: { question: string; choices: ClarificationChoice[] };
}

export type PlanOutcome = Plan | PlanningError | PlanningClarification;

export interface Planner {
  plan(text: string, ctx: PlannerContext): Promise<PlanOutcome>;
}

export function isPlanningError(outcome: PlanOutcome): outcome is PlanningError {
  return 'error' in outcome;
}

export function isClarification(outcome: PlanOutcome): outcome is PlanningClarification {
  return 'clarification' in outcome;
}

/** A plan whose every step only reads (status, lists): it changes nothing, so it runs without a confirmation step. */
export function isReadOnlyPlan(plan: Plan, tools: ToolCatalog): boolean {
  return plan.steps.length > 0 && plan.steps.every((s) => tools.get(s.tool)?.risk === 'read');
}

/** `{workspace, repo}` tool input fields for the context's repository, or null. */
export function toRepoInput(repo: PlannerRepo | undefined): { workspace: string; repo: string } | null {
  if (!repo) return null;
  const id = repo.slug ?? repo.uuid;
  return id ? { workspace: repo.workspace, repo: id } : null;
}

/** Tries planners in order; the first plan (or clarifying question) wins, else the first planner's error (it knows the most specific phrasing). */
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
