import { randomUUID } from 'node:crypto';
import { AGENT_EXECUTE_JOB, enqueueAgentExecution, type AgentExecuteJob, type JobQueue, type Receiver } from '../../jobs';
import type { Tenant } from '../../host';
import type { AuditLogViews } from './ask-bosun-port';
import type { AgentExecuteAccepted, AgentJobView } from './contracts';

export interface AgentExecutionDeps {
  queue: JobQueue;
  /**
   * Runs the job's handler in this request (the automation's receive: same handler, trigger
   * context, executor and audit entry as the worker). Absent: every plan is queued.
   */
  receive?: Receiver['receive'];
  audit?: Pick<AuditLogViews, 'get'>;
}

/**
 * A plan a person confirmed: queued for the worker, except on a host that hands Bosun the person's
 * token with their request alone (Forge's `x-forge-oauth-user`, never stored), where a plan that acts
 * as them runs in the request, while the token is at hand, and the answer carries its finished view.
 * The executor's idempotency key still makes a retried request run once.
 */
export async function startAgentExecution(deps: AgentExecutionDeps, tenant: Tenant, payload: AgentExecuteJob, options: { actsAsUser: boolean }): Promise<AgentExecuteAccepted> {
  if (!(tenant.host === 'forge' && options.actsAsUser && deps.receive && deps.audit)) return enqueueAgentExecution(deps.queue, tenant.clientKey, payload);
  const jobId = randomUUID();
  const result = (await deps.receive({ id: jobId, type: AGENT_EXECUTE_JOB, clientKey: tenant.clientKey, payload })) as { auditId?: unknown; connect?: AgentJobView['connect'] } | null;
  const audit = typeof result?.auditId === 'number' ? await deps.audit.get(tenant.clientKey, result.auditId) : null;
  const finished: AgentJobView = { jobId, state: 'succeeded', done: true, audit, error: audit ? null : 'Bosun ran this request but found no record of it; it has been logged.', connect: result?.connect ?? null };
  return { jobId, finished };
}
