import { z } from 'zod';
import { planPullRequestRulesInTurn, planPushRules, planReviewerRetryInTurn, planStaleRule, type Executor, type ReviewerCursorStore, type RuleFactsSource, type RulePlan } from '../../agent';
import type { TenantStore } from '../../host';
import type { Logger } from '../../log';
import type { Job } from '../job-queue';
import { withTriggerContext, type TriggerContext } from '../trigger-context';
import type { JobHandler } from '../worker';
import type { ClientResolver } from '../../agent';
import { RULES_PULL_REQUEST_JOB, RULES_PUSH_JOB, RULES_STALE_JOB } from './rule-jobs';

export interface RuleHandlerDeps {
  tenants: TenantStore;
  clients: ClientResolver;
  facts: RuleFactsSource;
  /** The automation's executor (a getter: it is built after the handlers are registered). */
  executor: () => Executor;
  logger: Logger;
  now: () => Date;
  /** Round-robin reviewer positions (absent: each assignment starts at the group's first member). */
  cursors?: ReviewerCursorStore | undefined;
}

const pullRequestJobSchema = z.object({ repositoryUuid: z.string().min(1), pullRequestId: z.number().int().positive(), event: z.enum(['created', 'updated', 'other']) });
const pushJobSchema = z.object({ requestUuid: z.string().min(1) });

/** Runs each rule plan through the executor as the rule (one audit entry each; a key runs once). */
async function executePlans(deps: RuleHandlerDeps, ctx: TriggerContext, plans: RulePlan[]) {
  const results: { rule: string; mode: string; outcome: string; replayed: boolean; message: string; failedStep: { errorCode: string | null; message: string | null } | null }[] = [];
  for (const rp of plans) {
    const result = await deps
      .executor()
      .execute(rp.plan, { tenant: ctx.toolTenant, actor: { kind: 'rule', userUuid: null, accountId: null, displayName: `Bosun rule: ${rp.rule}` }, logger: ctx.logger }, {
        idempotencyKey: rp.idempotencyKey,
        confirmed: rp.confirmed,
        trigger: { kind: `rule:${rp.rule}`, ref: ctx.trigger.jobId },
      });
    const failed = result.steps.find((st) => st.outcome === 'failed');
    results.push({ rule: rp.rule, mode: rp.mode, outcome: result.outcome, replayed: result.replayed, message: result.message, failedStep: failed ? { errorCode: failed.errorCode, message: failed.message } : null });
  }
  return results;
}

/** The rule jobs' handlers, by type: PR events, pushes (bot PRs), and the scheduled stale pass. */
export function createRuleHandlers(deps: RuleHandlerDeps): Record<string, JobHandler> {
  const ignoreUninstalled = { onUninstalled: () => ({ ignored: 'uninstalled' }) };
  return {
    [RULES_PULL_REQUEST_JOB]: withTriggerContext(
      deps,
      async (ctx: TriggerContext, job: Job) => {
        const payload = pullRequestJobSchema.parse(job.payload);
        const facts = await deps.facts.loadPullRequest(ctx.tenant.clientKey, payload);
        if (!facts) return { ignored: 'gone' };
        const plans = await planPullRequestRulesInTurn(deps.cursors, ctx.tenant.clientKey, facts, deps.now());
        const results = await executePlans(deps, ctx, plans);
        // Bitbucket refused a reviewer (400): once more without them, never a second retry.
        const k = results.findIndex((r) => r.rule === 'reviewers' && r.mode === 'on' && r.outcome === 'failed');
        const step = k >= 0 ? results[k]!.failedStep : null;
        const tried = k >= 0 ? (plans[k]!.plan.steps[0]?.input as { reviewers?: string[] } | undefined)?.reviewers ?? [] : [];
        const retry = step ? await planReviewerRetryInTurn(deps.cursors, ctx.tenant.clientKey, facts, { ...step, reviewers: tried }, deps.now()) : null;
        if (retry) results.push(...(await executePlans(deps, ctx, [retry])));
        return { results };
      },
      ignoreUninstalled,
    ),
    [RULES_PUSH_JOB]: withTriggerContext(
      deps,
      async (ctx: TriggerContext, job: Job) => {
        const payload = pushJobSchema.parse(job.payload);
        const pushes = await deps.facts.loadPush(ctx.tenant.clientKey, payload.requestUuid);
        const plans = pushes.flatMap((p) => planPushRules(p.push, p.policy, p.openPullRequests));
        return { results: await executePlans(deps, ctx, plans) };
      },
      ignoreUninstalled,
    ),
    [RULES_STALE_JOB]: withTriggerContext(
      deps,
      async (ctx: TriggerContext) => {
        const candidates = await deps.facts.listStaleCandidates(ctx.tenant.clientKey);
        const now = deps.now();
        const plans = candidates.flatMap((c) => planStaleRule(c.pullRequest, c.policy, now));
        return { checked: candidates.length, results: await executePlans(deps, ctx, plans) };
      },
      ignoreUninstalled,
    ),
  };
}
