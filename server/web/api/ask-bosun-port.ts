import type { Tenant } from '../../host';
import type { AgentPlanClarificationView, AgentPlanPageFacts, AgentPlanView, AuditEntryView, PlanView } from './contracts';
import type { PendingMergeView } from './pending-merge-views';

/**
 * What Ask Bosun's routes need of the agent, declared here (the module that uses it) and
 * implemented in server/create-ask-bosun.ts over the agent's planner, executor and stores: web/
 * imports no agent code.
 */
export interface AskBosun {
  /** Plans a request in words and previews the plan; runs nothing. */
  plan(
    tenant: Tenant,
    viewer: { userUuid: string | null; accountId: string | null },
    request: { text: string; repoUuid: string; repoSlug: string | null; prId: number | null; page: AgentPlanPageFacts | null },
  ): Promise<{ kind: 'refusal'; error: string; suggestions: string[] } | AgentPlanClarificationView | AgentPlanView>;
  /** Checks a plan the person sends back to run (the executor's validation and confirmation rules). */
  check(
    tenant: Tenant,
    viewer: { userUuid: string; accountId: string | null },
    plan: PlanView,
  ): { valid: boolean; problems: string[]; needsConfirmation: boolean; confirmationReasons: string[]; actsAsUser: boolean };
}

/** The audit log as the pages show it. */
export interface AuditLogViews {
  get(clientKey: string, id: number): Promise<AuditEntryView | null>;
  list(
    clientKey: string,
    filter: { repository?: string; actor?: string; tool?: string; outcome?: AuditEntryView['outcome']; limit: number; offset: number },
  ): Promise<{ entries: AuditEntryView[]; total: number }>;
}

/** A PR's pending "merge when green" requests, with the names of who armed them. */
export interface PendingMergeViews {
  list(clientKey: string, query: { repositoryUuid: string; pullRequestId: number }): Promise<PendingMergeView[]>;
}
