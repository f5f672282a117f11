import { z } from 'zod';
import { toDigest, toRulePlan, toStickyMarker, type ClientResolver, type Executor } from './agent';
import type { BudgetScope } from './budget';
import { BUILD_FAILURES_STICKY_KEY, planBuildFailureComment } from './ci';
import { loadBosunFile } from './create-rule-services';
import type { InstallationClientFactory, TenantStore } from './host';
import type { JobHandler } from './jobs';
import { CI_FAILURE_COMMENT_JOB } from './ci-failure-comment-jobs';
import { withTriggerContext } from './jobs/trigger-context';
import type { Logger } from './log';
import { parseBosunFile, resolvePolicy, toBosunFileLocation, type PolicyScope, type PolicyStore } from './policies';

export interface CiFailureCommentDeps {
  policies: PolicyStore;
  tenants: TenantStore;
  clients: InstallationClientFactory;
  /** The automation's executor (a getter: it is built after the handlers are registered). */
  executor: () => Executor;
  logger: Logger;
  budgetScope?: BudgetScope;
}

const jobSchema = z.object({ repositoryUuid: z.string().min(1), commitHash: z.string().regex(/^[0-9a-f]{7,40}$/i) });

/**
 * The failed-builds comment as a policy rule (`buildFailures`, dry-run until switched on, `off` to stop it):
 * after a status on a commit, each open PR whose head it is gets one sticky comment listing its failed builds,
 * edited on the next change, marked resolved once none fails. Runs through the executor as the rule (one audit
 * entry; the key holds the failures, so a redelivered status writes nothing new).
 */
export function createCiFailureCommentHandlers(deps: CiFailureCommentDeps): Record<string, JobHandler> {
  const resolver: ClientResolver = {
    async forInstallation(clientKey, context) {
      const tenant = await deps.tenants.getWithSecret(clientKey);
      if (!tenant) throw new Error('Bosun is no longer installed in this workspace');
      return deps.clients.forTenant(tenant, context);
    },
    forUser: () => Promise.reject(new Error('The failed-builds comment acts as the installation, never as a person')),
  };
  return {
    [CI_FAILURE_COMMENT_JOB]: withTriggerContext(
      { tenants: deps.tenants, clients: resolver, logger: deps.logger },
      async (ctx, job) => {
        const payload = jobSchema.parse(job.payload);
        const clientKey = ctx.tenant.clientKey;
        const raw = await ctx.installationClient();
        const client = deps.budgetScope ? deps.budgetScope.bind(raw, { clientKey, credential: 'installation', lane: 'automation', purpose: 'rules' }) : raw;
        const ws = ctx.toolTenant.workspace;
        const open = await client.pullRequests.list(ws, payload.repositoryUuid, { state: ['OPEN'], max: 200 });
        // The PR's head is its 12-character short hash here; the status event carries the full one.
        const heads = open.filter((pr) => {
          const head = pr.source.commit?.hash;
          return head !== undefined && head.length >= 7 && payload.commitHash.toLowerCase().startsWith(head.toLowerCase());
        });
        const results: Array<{ pullRequestId: number; outcome: string; mode: string }> = [];
        if (heads.length === 0) return { pullRequests: 0, results };
        const [repo, workspaceLayer, repositoryLayer] = await Promise.all([
          client.repositories.get(ws, payload.repositoryUuid),
          deps.policies.get(clientKey, 'workspace'),
          deps.policies.get(clientKey, payload.repositoryUuid as PolicyScope),
        ]);
        for (const pr of heads) {
          const bosunFile = await loadBosunFile(client, ws, payload.repositoryUuid, toBosunFileLocation(pr).ref);
          const { policy } = resolvePolicy([
            { source: 'workspace', data: workspaceLayer?.layer },
            { source: 'repository', data: repositoryLayer?.layer },
            parseBosunFile(bosunFile),
          ]);
          const mode = policy.buildFailures.mode;
          if (mode === 'off') continue;
          const [statuses, comments] = await Promise.all([
            client.pullRequests.listStatuses(ws, payload.repositoryUuid, pr.id),
            client.pullRequests.listComments(ws, payload.repositoryUuid, pr.id, { max: 1000 }),
          ]);
          const marker = toStickyMarker(BUILD_FAILURES_STICKY_KEY);
          const planned = planBuildFailureComment({
            commitHash: payload.commitHash,
            statuses: statuses.map((s) => ({ key: s.key, name: s.name ?? null, state: s.state, url: s.url ?? null, description: s.description ?? null })),
            commentExists: comments.some((c) => !c.deleted && c.content.raw.includes(marker)),
          });
          if (!planned) continue;
          const target = { workspace: ctx.toolTenant.workspace, repo: repo.slug ?? payload.repositoryUuid, pullRequestId: pr.id };
          const rulePlan = toRulePlan({
            rule: 'buildFailures',
            mode,
            key: `rule:buildFailures:${payload.repositoryUuid}:${pr.id}:${toDigest(planned.identity)}`,
            summary: planned.summary,
            steps: [{ tool: 'pullRequest.comment', input: { ...target, body: planned.body, stickyKey: BUILD_FAILURES_STICKY_KEY } }],
            wouldDo: [planned.summary],
            target,
          });
          const result = await deps.executor().execute(
            rulePlan.plan,
            { tenant: ctx.toolTenant, actor: { kind: 'rule', userUuid: null, accountId: null, displayName: 'Bosun rule: buildFailures' }, logger: ctx.logger },
            { idempotencyKey: rulePlan.idempotencyKey, confirmed: false, trigger: { kind: 'rule:buildFailures', ref: ctx.trigger.jobId } },
          );
          results.push({ pullRequestId: pr.id, outcome: result.outcome, mode });
        }
        return { pullRequests: heads.length, results };
      },
      { onUninstalled: () => ({ ignored: 'uninstalled' }) },
    ),
  };
}
