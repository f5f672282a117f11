import { createBudgetedFetch, findBudgetDeferral, type BudgetLane, type RateBudget } from './budget';
import type { InstallationClientFactory, Tenant, TenantStore, TenantWithSecret } from './host';
import type { Logger } from './log';
import { z } from 'zod';
import { PermanentJobError, type DeliveryIntake, type Job, type JobHandler, type JobQueue, type RecurringJob } from './jobs';
import { createBatchedProjection, createBitbucketMirrorSource, createMirrorSync, createRepositoryFactsSync, loadPrPanelView, toRepositoryFactsSummary, loadRepoDashboardView, type MirrorSource, type MirrorStore, type MirrorSync } from './mirror';
import { countApprovals, summarizeBuilds, toBuildStatusViews, toPullRequestSummary, toReviewerViews } from './to-views';
import type { WorkspaceViews } from './web/api/workspace-views';
import { HostAuthError } from './host';

export interface WorkspaceMirrorServices {
  store: MirrorStore;
  sync: MirrorSync;
  views: WorkspaceViews;
  /** The webhook intake with the mirror's projection in its path (after the delivery is stored). */
  withProjection(intake: DeliveryIntake): DeliveryIntake;
  /** The scheduled jobs (initial sync until done, then the reconciliation sweep) and their handlers. */
  recurring: RecurringJob[];
  /** The recurring sync, which an install queues at once (same period key: one job, not two). */
  firstSync: RecurringJob;
  handlers: Record<string, JobHandler>;
  /** Resolves once every webhook already acknowledged is in the mirror (views that read it whole wait for it). */
  settled(): Promise<void>;
}

export const MIRROR_SYNC_JOB = 'mirror.sync';
export const MIRROR_SWEEP_JOB = 'mirror.sweep';
/** A fresh install starts syncing within a minute and resumes a deferred sync within one. */
const SYNC_EVERY_MS = 60_000;
/** Missed or late webhooks are repaired within this period (issue 10: within 5 minutes). */
const SWEEP_EVERY_MS = 5 * 60_000;
/** One repository's facts, listed in the sync lane because a dashboard found them missing. */
export const MIRROR_FACTS_JOB = 'mirror.facts';
/** However many views open meanwhile, a repository's missing facts are asked for once per period. */
const FACTS_REQUEST_EVERY_MS = 10 * 60_000;
const factsJobSchema = z.object({ repositoryUuid: z.string().min(1).max(64) });

/** Wires server/mirror/ to the API's views and the webhook intake (composition root: imports every side). */
export function createWorkspaceMirrorServices(deps: {
  store: MirrorStore;
  tenants: TenantStore;
  clients: InstallationClientFactory;
  now: () => Date;
  logger: Logger;
  budget: RateBudget;
  /** Installation clients over another fetch: the budget charges each request to its lane. */
  clientsWith: (fetch: typeof globalThis.fetch) => InstallationClientFactory;
  fetch: typeof globalThis.fetch;
  /** Where a dashboard asks for a repository's missing facts (absent: it does not ask). */
  queue?: Pick<JobQueue, 'enqueue'>;
}): WorkspaceMirrorServices {
  const { store, now } = deps;
  const sync = createMirrorSync({ store, now });
  const facts = createRepositoryFactsSync({ store, now });

  /** A source whose every request is charged to the tenant's installation credential in `lane`. */
  const budgetedSource = (tenant: TenantWithSecret, lane: BudgetLane, purpose: string): MirrorSource => {
    const fetch = createBudgetedFetch({ budget: deps.budget, clientKey: tenant.clientKey, credential: 'installation', lane, purpose, fetch: deps.fetch });
    return createBitbucketMirrorSource(deps.clientsWith(fetch).forTenant(tenant), tenant.workspaceUuid ?? tenant.workspaceSlug ?? '');
  };

  /** A view's live read (a PR the mirror does not know yet): a person is waiting, so the people lane. */
  const liveSource = async (tenant: Tenant, purpose: string): Promise<MirrorSource> => {
    const full = await deps.tenants.getWithSecret(tenant.clientKey);
    if (!full) throw new HostAuthError('SESSION_INVALID', 'Bosun is no longer installed in this workspace');
    // Both hosts' tenants: clientsWith is host-aware (a Forge tenant acts with its latest app token).
    return budgetedSource(full, 'people', purpose);
  };

  /** Budget deferrals end the run quietly: the next period goes on where this one stopped. */
  const scheduled = (run: (tenant: TenantWithSecret, source: MirrorSource, job: Job) => Promise<unknown>): JobHandler => async (job) => {
    const tenant = await deps.tenants.getWithSecret(job.clientKey);
    if (!tenant) return { skipped: 'uninstalled' };
    try {
      return await run(tenant, budgetedSource(tenant, 'sync', job.type), job);
    } catch (err) {
      const deferral = findBudgetDeferral(err);
      if (deferral) return { deferredUntil: deferral.retryAt.toISOString(), reason: deferral.reason };
      throw err;
    }
  };

  const handlers: Record<string, JobHandler> = {
    [MIRROR_SYNC_JOB]: scheduled(async (tenant, source) => {
      const progress = await store.loadProgress(tenant.clientKey);
      if (progress?.state === 'done') {
        // Then the status backfill, a little per period, until every open PR's statuses are listed.
        return progress.statusesPending > 0 ? { backfilled: await sync.backfillStatuses(tenant.clientKey, source, 50) } : { done: true };
      }
      const after = await sync.initialSync(tenant.clientKey, source);
      return { repositoriesDone: after.repositoriesDone, repositoriesTotal: after.repositoriesTotal };
    }),
    [MIRROR_SWEEP_JOB]: scheduled(async (tenant, source) => {
      const progress = await store.loadProgress(tenant.clientKey);
      if (progress?.state !== 'done') return { skipped: 'initial sync not done' };
      const swept = await sync.sweep(tenant.clientKey, source, { maxRepositories: 20, maxStatuses: 20 });
      // Facts Bitbucket sends no webhook for: two repositories per sweep (8 requests), the stalest first.
      return { ...swept, facts: await facts.refreshStaleFacts(tenant.clientKey, source, 2) };
    }),
    [MIRROR_FACTS_JOB]: scheduled(async (tenant, source, job) => {
      const payload = factsJobSchema.safeParse(job.payload);
      if (!payload.success) throw new PermanentJobError('A mirror.facts job names no repository');
      const { repositoryUuid } = payload.data;
      // The sweep (or an earlier job) may have listed them since the view asked.
      if ((await facts.loadFacts(tenant.clientKey, repositoryUuid)).syncedAt !== null) return { skipped: 'facts already listed', repositoryUuid };
      await facts.syncFacts(tenant.clientKey, source, repositoryUuid);
      return { listed: repositoryUuid };
    }),
  };

  // Stored and acknowledged first: a projection that fails loses nothing, the sweep repairs the mirror.
  const projection = createBatchedProjection({
    store,
    now,
    isInstalled: async (clientKey) => (await deps.tenants.get(clientKey)) !== null,
    onError: (err, input) =>
      deps.logger.warn('Mirror projection of a webhook failed; the sweep will repair it', {
        tenant: input.clientKey, event: input.event, error: err instanceof Error ? err.name : 'unknown',
      }),
  });

  /**
   * A dashboard found a repository's facts missing: they are listed in the sync lane, so the next view has
   * them. Deduplicated per repository and period (the queue's dedupe key), so views never pile requests up.
   */
  const requestFacts = async (clientKey: string, repositoryUuid: string): Promise<void> => {
    if (!deps.queue) return;
    const period = Math.floor(now().getTime() / FACTS_REQUEST_EVERY_MS);
    try {
      await deps.queue.enqueue({ clientKey, type: MIRROR_FACTS_JOB, payload: { repositoryUuid }, dedupeKey: `mirror:facts:${repositoryUuid}:${period}`, priority: -10 });
    } catch (err) {
      // The view answers anyway; the sweep lists the facts later.
      deps.logger.warn('Could not queue the listing of missing repository facts', { tenant: clientKey, error: err instanceof Error ? err.name : 'unknown' });
    }
  };

  // Views first let the projection catch up with every webhook already acknowledged (usually nothing
  // is waiting): a page reloaded after a webhook's 2xx shows what it said.
  const views: WorkspaceViews = {
    async loadPanel(tenant, query) {
      await projection.idle();
      const source = await liveSource(tenant, 'pr-panel');
      const data = await loadPrPanelView({ store, now, live: () => source }, { clientKey: tenant.clientKey, repositoryUuid: query.repoUuid, pullRequestId: query.prId, fresh: query.fresh });
      return {
        pullRequest: toPullRequestSummary(data.pullRequest),
        reviewers: toReviewerViews(data.pullRequest),
        statuses: toBuildStatusViews(data.statuses),
        buildState: summarizeBuilds(data.statuses),
        approvals: countApprovals(data.pullRequest),
        freshness: data.freshness,
      };
    },
    async loadDashboard(tenant, query) {
      await projection.idle();
      const source = await liveSource(tenant, 'repo-dashboard');
      const data = await loadRepoDashboardView({ store, sync, now, live: () => source }, { clientKey: tenant.clientKey, repositoryUuid: query.repoUuid });
      const repo = data.repository;
      // From the mirror only (the sweep lists them): the dashboard stays at 0 Bitbucket calls.
      const known = await facts.loadFacts(tenant.clientKey, query.repoUuid);
      if (known.syncedAt === null) await requestFacts(tenant.clientKey, query.repoUuid);
      const targets = data.pullRequests.flatMap(({ pullRequest }) => (pullRequest.destination.branch?.name ? [pullRequest.destination.branch.name] : []));
      return {
        ...(known.syncedAt !== null || known.branches.length > 0 ? { repositoryFacts: toRepositoryFactsSummary(known, targets) } : {}),
        repository: { uuid: repo.uuid, fullName: repo.full_name, name: repo.name, url: repo.links?.html?.href ?? null },
        pullRequests: data.pullRequests.map(({ pullRequest, statuses }) => ({
          ...toPullRequestSummary(pullRequest),
          buildState: summarizeBuilds(statuses),
          approvals: countApprovals(pullRequest),
          reviewerCount: toReviewerViews(pullRequest).filter((r) => r.role === 'REVIEWER').length,
        })),
        freshness: data.freshness,
      };
    },
    async loadMirrorStatus(tenant) {
      const [budget, progress] = await Promise.all([deps.budget.load(tenant.clientKey), store.loadProgress(tenant.clientKey)]);
      return {
        budget: budget.credentials,
        sync: progress
          ? {
              state: progress.state, repositoriesDone: progress.repositoriesDone, repositoriesTotal: progress.repositoriesTotal,
              statusesPending: progress.statusesPending, startedAt: progress.startedAt.toISOString(),
              finishedAt: progress.finishedAt?.toISOString() ?? null, lastSweepAt: progress.lastSweepAt?.toISOString() ?? null, message: progress.message,
            }
          : null,
      };
    },
  };

  return {
    store,
    sync,
    views,
    handlers,
    settled: () => projection.idle(),
    recurring: [
      { type: MIRROR_SYNC_JOB, everyMs: SYNC_EVERY_MS },
      { type: MIRROR_SWEEP_JOB, everyMs: SWEEP_EVERY_MS },
    ],
    firstSync: { type: MIRROR_SYNC_JOB, everyMs: SYNC_EVERY_MS },
    withProjection(intake) {
      return {
        async accept(input) {
          const answer = await intake.accept(input);
          // The 2xx waits for the durable intake only (Bitbucket gives up after 10 s; a burst of installs
          // must not slow webhooks down): the mirror follows in batches, and views wait for it first.
          if (!answer.duplicate) void projection.project({ clientKey: input.clientKey, event: input.eventKey, data: input.payload });
          return answer;
        },
        settled: () => projection.idle(),
        close: async () => {
          await projection.idle();
          await intake.close();
        },
      };
    },
  };
}
