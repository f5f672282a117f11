import type { Executor, RulePlan } from '../agent';
import type { DeliveryJobSource } from './delivery-intake';
import type { Job } from './job-queue';
import { withTriggerContext, type TriggerContext, type TriggerContextDeps } from './trigger-context';
import type { JobHandler } from './worker';

/** What running one rule plan came to (a handler's result lists one per plan). */
export interface RulePlanRun {
  rule: string;
  mode: string;
  outcome: string;
  replayed: boolean;
  message: string;
  failedStep: { errorCode: string | null; message: string | null } | null;
}

/**
 * A rule-driven automation, declared where it is wired (the composition root registers it; jobs/ holds no
 * rule): its job type, which stored deliveries call for a job (written in the intake's transaction), and
 * how a job turns into rule plans. The worker gives it the trigger's context; every plan runs through the
 * executor as the rule (one audit entry each, once per idempotency key).
 */
export interface RuleAutomation {
  type: string;
  /** The jobs a stored delivery calls for; absent when only a schedule or a tool queues this automation. */
  jobsFor?: DeliveryJobSource;
  /**
   * Plans from the job and runs the plans with `execute` (as often as it needs: a retry planned from a
   * first run's outcome is a second call); answers the job's result.
   */
  run(input: { clientKey: string; payload: unknown; job: Job }, execute: (plans: RulePlan[]) => Promise<RulePlanRun[]>): Promise<object>;
}

export interface RuleAutomationDeps extends TriggerContextDeps {
  /** The automation's executor (a getter: it is built after the handlers are registered). */
  executor: () => Executor;
}

async function executeAsRule(deps: RuleAutomationDeps, ctx: TriggerContext, plans: RulePlan[]): Promise<RulePlanRun[]> {
  const runs: RulePlanRun[] = [];
  for (const rp of plans) {
    const result = await deps
      .executor()
      .execute(rp.plan, { tenant: ctx.toolTenant, actor: { kind: 'rule', userUuid: null, accountId: null, displayName: `Bosun rule: ${rp.rule}` }, logger: ctx.logger }, {
        idempotencyKey: rp.idempotencyKey,
        confirmed: rp.confirmed,
        trigger: { kind: `rule:${rp.rule}`, ref: ctx.trigger.jobId },
      });
    const failed = result.steps.find((st) => st.outcome === 'failed');
    runs.push({ rule: rp.rule, mode: rp.mode, outcome: result.outcome, replayed: result.replayed, message: result.message, failedStep: failed ? { errorCode: failed.errorCode, message: failed.message } : null });
  }
  return runs;
}

/** One handler per registered automation: the trigger's context once, its plans through the executor as the rule. */
export function createRuleAutomationHandlers(deps: RuleAutomationDeps, automations: readonly RuleAutomation[]): Record<string, JobHandler> {
  const handlers: Record<string, JobHandler> = {};
  for (const automation of automations) {
    if (Object.hasOwn(handlers, automation.type)) throw new Error(`Two rule automations share the job type ${automation.type}`);
    handlers[automation.type] = withTriggerContext(
      deps,
      (ctx, job) => automation.run({ clientKey: ctx.tenant.clientKey, payload: job.payload, job }, (plans) => executeAsRule(deps, ctx, plans)),
      { onUninstalled: () => ({ ignored: 'uninstalled' }) },
    );
  }
  return handlers;
}

/** The delivery job sources of the automations that listen to deliveries (the intake writes their jobs). */
export function toDeliveryJobSources(automations: readonly RuleAutomation[]): DeliveryJobSource[] {
  return automations.flatMap((a) => (a.jobsFor ? [a.jobsFor] : []));
}
