import type { AuditStore, AutoMergeStore, ClientResolver, Executor, MergeRouteResolver, MergeWhenGreenPlanner, Planner, ToolCatalog } from '../../agent';
import type { Logger } from '../../log';
import type { Tenant, TenantStore } from '../../host';
import type { JobQueue } from '../job-queue';

/** What the worker's handlers need; built once in create-services. */
export interface AutomationDeps {
  tenants: TenantStore;
  autoMerges: AutoMergeStore;
  audit: AuditStore;
  executor: Executor;
  tools: ToolCatalog;
  /** Plans `/bosun …` comments. */
  commandPlanner: Planner;
  /** Decides what an armed "merge when green" does now; made from {@link mergeRoute} by createJobHandlers. */
  mergeWhenGreen: MergeWhenGreenPlanner;
  clients: ClientResolver;
  queue: JobQueue;
  /** Where people find the audit log and connect their account, as the host shows Bosun's pages. */
  links: {
    auditLog(tenant: Tenant): string;
    personalSettings(tenant: Tenant): string;
  };
  logger: Logger;
  now: () => Date;
  /** How long an armed auto-merge waits after a transient failure (rate limit, 5xx); by error code when unset. */
  transientRetryMs?: number;
}

/** What createJobHandlers is given: the merge-when-green planner is made there, with the injected merge route. */
export type AutomationInput = Omit<AutomationDeps, 'mergeWhenGreen'> & {
  /** Whether a ready PR is merged or handed to its branch's merge queue (the repository policy); default direct. */
  mergeRoute?: MergeRouteResolver;
};

export { toToolTenant } from '../trigger-context';
