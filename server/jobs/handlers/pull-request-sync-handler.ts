import { z } from 'zod';
import { toAutoMergeRepo, type AutoMerge } from '../../agent';
import type { Job } from '../job-queue';
import type { ContextHandler, TriggerContext } from '../trigger-context';
import type { AutomationDeps } from './automation-deps';
import { ensureStickyReply } from './sticky-reply';
import { toPullRequestSyncJob } from '../webhook-jobs';

/** How long an armed auto-merge waits after a retryable failure that did not say how long. */
const DEFAULT_RETRY_MS = 30_000;

const jobSchema = z.object({
  repositoryUuid: z.string(),
  pullRequestId: z.number().int().nullable(),
  commitHash: z.string().nullable(),
  firstEvent: z.string(),
});

/**
 * A PR or one of its commits changed (coalesced webhooks): re-check every pending "merge when
 * green" it concerns against the current state, and merge exactly once when ready. The merge
 * runs through the executor with one idempotency key per auto-merge, so a retried or repeated
 * job cannot merge twice.
 */
export function createPullRequestSyncHandler(deps: AutomationDeps): ContextHandler {
  return async (ctx: TriggerContext, job: Job) => {
    const payload = jobSchema.parse(job.payload);
    const pending = await deps.autoMerges.listPending(ctx.tenant.clientKey, { repositoryUuid: payload.repositoryUuid });
    const candidates = payload.pullRequestId === null ? pending : pending.filter((a) => a.pullRequestId === payload.pullRequestId);
    const results = [];
    for (const autoMerge of candidates) results.push(await checkAutoMerge(deps, ctx, autoMerge, payload.commitHash));
    return { checked: results.length, results };
  };
}

async function checkAutoMerge(deps: AutomationDeps, ctx: TriggerContext, autoMerge: AutoMerge, commitHash: string | null) {
  const { tenant, toolTenant } = ctx;
  const ref = { repo: toAutoMergeRepo(autoMerge), pullRequestId: autoMerge.pullRequestId };
  const finish = (state: 'merged' | 'queued' | 'cancelled' | 'failed', reason: string) =>
    deps.autoMerges.finish(tenant.clientKey, { repositoryFullName: autoMerge.repositoryFullName, pullRequestId: autoMerge.pullRequestId }, { state, reason }, deps.now());

  // The decision is the planner's (agent/planner/merge-when-green-planner.ts); this handler carries it out.
  const decision = await deps.mergeWhenGreen.plan({ tenant: toolTenant, autoMerge, commitHash, client: await ctx.installationClient() });
  const prId = decision.pullRequestId;
  if (decision.kind === 'merged-elsewhere') {
    await finish('merged', 'Merged outside Bosun');
    return { id: autoMerge.id, state: 'merged-elsewhere' };
  }
  if (decision.kind === 'closed') {
    const state = decision.state.toLowerCase();
    await finish('cancelled', `Pull request was ${state}`);
    await ensureStickyReply(deps, tenant, ref, `⏹ **Bosun** · automatic merge of #${prId} cancelled: the pull request was ${state}.`);
    return { id: autoMerge.id, state: 'cancelled' };
  }
  if (decision.kind === 'other-commit') return { id: autoMerge.id, state: 'other-commit' };
  if (decision.kind === 'wait') {
    const { readiness } = decision;
    if (readiness.verdict === 'blocked') await ensureStickyReply(deps, tenant, ref, `⏸ **Bosun** · waiting to merge #${prId}: ${readiness.reasons.join(' ')}`);
    return { id: autoMerge.id, state: readiness.verdict };
  }

  const result = await deps.executor.execute(
    decision.plan,
    { tenant: toolTenant, actor: { kind: 'rule', userUuid: autoMerge.requestedByUuid, accountId: autoMerge.requestedByAccountId }, logger: ctx.logger },
    // One key per attempt: concurrent checks of one attempt run the merge once and share its outcome;
    // a transient failure moves the auto-merge to its next attempt (and key).
    { idempotencyKey: `auto-merge:${autoMerge.id}:${autoMerge.attempts}`, confirmed: true, trigger: { kind: 'auto-merge', ref: `${autoMerge.repositoryFullName}#${prId}` } },
  );
  const audit = `[Audit log](${deps.links.auditLog(tenant)})${result.id !== null ? ` · entry #${result.id}` : ''}`;
  if (result.outcome === 'succeeded' && decision.route === 'queue') {
    // The request is fulfilled by handing the PR to its branch's merge queue, which lands it from here;
    // stamped with the enqueue's time, so a queue notice written since (merged, ejected) stays.
    await finish('queued', result.message);
    await ensureStickyReply(deps, tenant, ref, `🚦 **Bosun** · queued #${prId} for merging: its builds passed and its merge checks are met.\n\n${audit}`, undefined, result.asOf);
  } else if (result.outcome === 'succeeded') {
    await finish('merged', result.message);
    await ensureStickyReply(deps, tenant, ref, `✅ **Bosun** · merged #${prId}: its builds passed and its merge checks are met.\n\n${audit}`);
  } else if (result.outcome === 'failed' && retryDelayOf(result.steps) !== null) {
    const delay = deps.transientRetryMs ?? retryDelayOf(result.steps) ?? DEFAULT_RETRY_MS;
    // Only the first of concurrent checks that saw this failure schedules the next attempt.
    if (!(await deps.autoMerges.recordRetry(tenant.clientKey, autoMerge.id, autoMerge.attempts, result.message, deps.now()))) {
      return { id: autoMerge.id, state: 'retrying', auditId: result.id };
    }
    await deps.queue.enqueue(
      toPullRequestSyncJob(tenant.clientKey, { repositoryUuid: autoMerge.repositoryUuid ?? ref.repo, pullRequestId: prId }, {
        reason: 'retry',
        dedupeKey: `auto-merge-retry:${autoMerge.id}:${autoMerge.attempts + 1}`,
        runAt: new Date(deps.now().getTime() + delay),
      }),
    );
    await ensureStickyReply(deps, tenant, ref, `⏳ **Bosun** · could not merge #${prId} just now (${result.message}); trying again in ${Math.round(delay / 1000)} s.\n\n${audit}`);
    return { id: autoMerge.id, state: 'retrying', auditId: result.id };
  } else {
    await finish('failed', result.message);
    await ensureStickyReply(deps, tenant, ref, `❌ **Bosun** · could not merge #${prId}: ${result.message}\n\n${audit}`);
  }
  return { id: autoMerge.id, state: result.outcome, auditId: result.id };
}

/** A failure that says "not now" rather than "no" (the error model's `retryable`): the auto-merge stays armed. */
function retryDelayOf(steps: ReadonlyArray<{ outcome: string; retryable?: boolean; retryAfterMs?: number | null }>): number | null {
  const failed = steps.find((s) => s.outcome === 'failed');
  return failed?.retryable ? (failed.retryAfterMs ?? DEFAULT_RETRY_MS) : null;
}
