import { z } from 'zod';
import type { ExecutionResult, Plan } from '../../agent';
import type { Job, JobQueue } from '../job-queue';
import { PermanentJobError } from '../errors';
import type { ContextHandler, TriggerContext } from '../trigger-context';
import type { AutomationDeps } from './automation-deps';
import { enqueueFollowUps } from './follow-ups';

export const AGENT_EXECUTE_JOB = 'agent.execute';

export const agentExecuteJobSchema = z.object({
  plan: z.object({
    summary: z.string().max(500),
    source: z.enum(['command', 'rule', 'natural-language', 'button', 'webhook', 'llm']),
    steps: z.array(z.object({ tool: z.string().max(64), input: z.unknown() })).min(1).max(20),
  }),
  actor: z.object({ userUuid: z.string(), accountId: z.string().nullable() }),
  idempotencyKey: z.string().min(8).max(128),
  confirmed: z.boolean(),
  trigger: z.object({ kind: z.string(), ref: z.string().nullable() }),
});
export type AgentExecuteJob = z.infer<typeof agentExecuteJobSchema>;

/**
 * Queues a plan a person confirmed (a panel button, Ask Bosun). The idempotency key is also the
 * job's dedupe key, so a double click or a retried request queues one job.
 */
export async function enqueueAgentExecution(queue: JobQueue, clientKey: string, payload: AgentExecuteJob): Promise<{ jobId: string }> {
  const { job } = await queue.enqueue({ clientKey, type: AGENT_EXECUTE_JOB, payload, dedupeKey: `exec:${payload.idempotencyKey}`, maxAttempts: 3 });
  return { jobId: job.id };
}

/** Runs a plan a person confirmed in a panel (a button is a trigger like any other): plan in hand, execute. */
export function createAgentExecuteHandler(deps: AutomationDeps): ContextHandler {
  return async (ctx: TriggerContext, job: Job) => {
    const parsed = agentExecuteJobSchema.safeParse(job.payload);
    if (!parsed.success) throw new PermanentJobError('The agent.execute job payload is not valid');
    const { plan, actor, idempotencyKey, confirmed, trigger } = parsed.data;
    const executionContext = { tenant: ctx.toolTenant, actor: { kind: 'user' as const, userUuid: actor.userUuid, accountId: actor.accountId }, logger: ctx.logger };
    // Who may run it (write access for changes made as the installation) is the executor's precondition.
    const result = await deps.executor.execute(plan as Plan, executionContext, { idempotencyKey, confirmed, trigger });
    await enqueueFollowUps(deps.queue, ctx.tenant.clientKey, result, idempotencyKey);
    return { auditId: result.id, connect: toConnectPrompt(deps, plan as Plan, result) };
  };
}

/**
 * When a step that acts as the person could not run for want of their connection or its scopes,
 * the panel shows a Connect / Reconnect prompt rather than only the message.
 */
function toConnectPrompt(deps: AutomationDeps, plan: Plan, result: ExecutionResult): { reason: 'not_connected' | 'missing_scopes'; requiredScopes: string[] } | null {
  const userTools = plan.steps.map((s) => deps.tools.get(s.tool)).filter((t) => t?.actsAs === 'user');
  if (userTools.length === 0) return null;
  const requiredScopes = [...new Set(userTools.flatMap((t) => [...(t?.scopes ?? [])]))];
  if (result.steps.some((s) => s.errorCode === 'AGENT_MISSING_SCOPES')) return { reason: 'missing_scopes', requiredScopes };
  if (result.steps.some((s) => s.errorCode === 'AGENT_NOT_CONNECTED')) return { reason: 'not_connected', requiredScopes };
  return null;
}
