import type { AuditStore, AutoMergeStore, ClientResolver, Executor, Planner, ToolCatalog } from '../../agent';
import type { Logger } from '../../log';
import type { Tenant, TenantStore } from '../../host';
import type { WebhookDeliveryStore } from '../webhook-delivery-store';
import type { JobQueue } from '../job-queue';

/** What the worker's handlers need; built once in create-services. */
export interface AutomationDeps {
  tenants: TenantStore;
  deliveries: WebhookDeliveryStore;
  autoMerges: AutoMergeStore;
  audit: AuditStore;
  executor: Executor;
  tools: ToolCatalog;
  /** Plans `/bosun …` comments. */
  commandPlanner: Planner;
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

export { toToolTenant } from '../trigger-context';
