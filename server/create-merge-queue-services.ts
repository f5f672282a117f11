import { PermanentError } from './errors';
import type { Executor } from './agent';
import { createBitbucketQueueRepository } from './agent/create-bitbucket-queue-repository';
import type { MergeRouteResolver } from './agent/planner/merge-when-green-planner';
import type { MergeQueuePort } from './agent/tools/merge-queue-port';
import { pullRequestComment } from './agent/tools/pull-request-comment';
import { createQueuePreLandCheck } from './create-queue-pre-land-check';
import { loadBosunFile } from './create-rule-services';
import type { InstallationClientFactory, Tenant, TenantStore } from './host';
import type { JobHandler, JobQueue, RecurringJob } from './jobs';
import {
  createMergeQueueCiHandler,
  createMergeQueueJobHandler,
  createMergeQueuePullRequestHandler,
  createMergeQueueStatusHandler,
  createMergeQueueTickHandler,
  followMergeQueue,
  MERGE_QUEUE_CI_JOB,
  MERGE_QUEUE_JOB,
  MERGE_QUEUE_TICK_JOB,
} from './jobs/handlers/merge-queue-handler';
import { MERGE_QUEUE_PR_JOB, MERGE_QUEUE_STATUS_JOB } from './jobs/handlers/merge-queue-status-jobs';
import type { WebhookDeliveryStore } from './jobs/webhook-delivery-store';
import type { Logger } from './log';
import { rememberPullRequest, type MirrorStore } from './mirror';
import { readPullRequest, toRepositoryRecord } from './mirror/to-mirror-records';
import {
  createMergeQueueDriver,
  hasWork,
  summarizeQueue,
  toQueueCiVerdict,
  type MergeQueueDriver,
  type MergeQueueStore,
  type QueueEffect,
  type QueueKey,
  type QueueLandingPolicy,
  type QueueRepository,
  type QueueSettings,
} from './merge-queue';
import { parseBosunFile, resolvePolicy, type PolicyScope, type PolicyStore } from './policies';
import { toBranchGlob } from './rules';
import type { BranchQueueView, MergeQueueViews, PullRequestQueueView } from './web/api/merge-queue-views';

export interface MergeQueueServicesDeps {
  store: MergeQueueStore;
  policies: PolicyStore;
  tenants: TenantStore;
  /** Stored webhooks: a queued PR's update, merge or decline is read from its delivery. */
  deliveries: WebhookDeliveryStore;
  clients: InstallationClientFactory;
  /** The same SQL job queue the worker claims from. */
  queue: JobQueue;
  now: () => Date;
  logger: Logger;
  /** The executor, the one writer of the audit log: admin settings' changes are recorded through it (late-bound: it is built after the queue). */
  executor: () => Pick<Executor, 'recordAction'>;
  /** CI watch: first wait between reads of a pending tested commit (tests shorten it). */
  ciPollMs?: number;
  /** How often the scheduler ticks every tenant's queues; default 1 minute. */
  tickEveryMs?: number;
  /**
   * The workspace mirror (issue 10): the panel's and the dashboard's views read the PR and the repository
   * from it, and Bitbucket only for what it does not know yet (absent: every load reads them live).
   */
  mirror?: {
    store: Pick<MirrorStore, 'getPullRequest' | 'getRepository' | 'upsertRepositories' | 'applyPullRequests'>;
    /** Resolves once every webhook already acknowledged is in the mirror (the workspace views wait for it too). */
    settled: () => Promise<void>;
  };
}

export interface MergeQueueServices {
  driver: MergeQueueDriver;
  /** What the agent's mergeQueue.* tools call. */
  port: MergeQueuePort;
  /** "merge when green" → queue, when the policy's `mergeQueue.branches` names the PR's destination. */
  mergeRoute: MergeRouteResolver;
  views: MergeQueueViews;
  handlers: Record<string, JobHandler>;
  recurring: RecurringJob;
}

/** How long the panel's and the dashboard's reading of a branch's strategy and source-branch closing is reused. */
const VIEW_LANDING_TTL_MS = 30_000;
/** After that reading failed (bosun.yml answering 5xx, 429, a timeout), how long the views answer without it before trying again. */
const VIEW_LANDING_RETRY_MS = 10_000;

/** What the queue's views need of a pull request (from the mirror, else Bitbucket). */
interface ViewPullRequest {
  id: number;
  state: string;
  repository: string;
  branch: string;
  closeSourceBranch: boolean | null;
}

const NOTICE_ICON: Record<Extract<QueueEffect, { type: 'notify' }>['kind'], string> = { queued: '🚦', merged: '✅', ejected: '❌', dequeued: '⏹' };

/** The sticky comment's words for what the queue did to a PR. */
export function toQueueNoticeText(key: QueueKey, effect: Extract<QueueEffect, { type: 'notify' }>, position: number | null): string {
  const head = `${NOTICE_ICON[effect.kind]} **Bosun merge queue** · #${effect.prId} → \`${key.branch}\``;
  switch (effect.kind) {
    case 'queued':
      return `${head}\n\nQueued${position ? ` at position ${position}` : ''}. Bosun tests it on top of \`${key.branch}\` with the pull requests ahead of it and merges it when that passes. \`/bosun dequeue\` takes it out.`;
    case 'merged':
      return `${head}\n\nMerged by the queue: \`${key.branch}\` now holds the commit CI tested.`;
    case 'ejected':
      return `${head}\n\nTaken out of the queue: ${effect.reason ?? 'it could not be merged.'}\n\nFix it and queue it again with \`/bosun queue\`.`;
    case 'dequeued':
      return `${head}\n\nLeft the queue: ${effect.reason ?? 'removed.'}`;
  }
}

const splitRepository = (repository: string): [string, string] => {
  const [workspace, slug] = repository.split('/');
  return [workspace ?? '', slug ?? repository];
};

/**
 * Wires server/merge-queue to everything around it (composition root): the SQL store, Bitbucket
 * as each tenant's installation, sticky comments, the policy's "merge via queue", the worker's
 * jobs (events, CI watches, the scheduler's tick) and the views the API serves.
 */
export function createMergeQueueServices(deps: MergeQueueServicesDeps): MergeQueueServices {
  const { store, now, logger } = deps;
  const workspaceOf = (tenant: Tenant) => tenant.workspaceUuid ?? tenant.workspaceSlug ?? '';
  const tenantOf = async (clientKey: string) => {
    const tenant = await deps.tenants.getWithSecret(clientKey);
    if (!tenant) throw new Error('Bosun is no longer installed in this workspace');
    return tenant;
  };
  const repositoryFor = async (key: QueueKey): Promise<QueueRepository> => {
    const [workspace, slug] = splitRepository(key.repository);
    return createBitbucketQueueRepository(deps.clients.forTenant(await tenantOf(key.clientKey)), workspace, slug);
  };

  const notify = async (key: QueueKey, effect: Extract<QueueEffect, { type: 'notify' }>, at: Date) => {
    const tenant = await tenantOf(key.clientKey);
    const [workspace, slug] = splitRepository(key.repository);
    const state = await store.load(key);
    const position = state ? summarizeQueue(state, now()).entries.find((e) => e.prId === effect.prId)?.position ?? null : null;
    try {
      // The one sticky comment per PR (the comment commands' replies edit the same one).
      await pullRequestComment.run(
        { tenant: { clientKey: tenant.clientKey, workspace }, actor: { kind: 'installation', userUuid: null, accountId: null }, client: deps.clients.forTenant(tenant), logger, now },
        { workspace, repo: slug, pullRequestId: effect.prId, body: toQueueNoticeText(key, effect, position), stickyKey: 'bosun', asOf: at.toISOString() },
      );
    } catch (error) {
      // The queue moved on already; a missing comment is not worth undoing it.
      logger.warn('Could not update the sticky comment of a queued pull request', { clientKey: key.clientKey, pullRequestId: effect.prId, error: error instanceof Error ? error.name : 'unknown' });
    }
  };

  // Before landing: still open on the queued commit, and ready by the full readiness oracle against the current target.
  const checkReady = createQueuePreLandCheck({ clientFor: async (key) => deps.clients.forTenant(await tenantOf(key.clientKey)), policies: deps.policies, store, now });

  // The strategy and source-branch closing: the effective policy of the queue's repository and branch (workspace, repository, the target's bosun.yml).
  // The runner, the status tool and the views all read it here, so what they show is what the queue does.
  const landingPolicy = async (key: QueueKey, knownRepositoryUuid?: string): Promise<QueueLandingPolicy> => {
    const [workspace, slug] = splitRepository(key.repository);
    const client = deps.clients.forTenant(await tenantOf(key.clientKey));
    const [repositoryUuid, workspaceLayer, bosunFile] = await Promise.all([
      knownRepositoryUuid ?? client.repositories.get(workspace, slug).then((r) => r.uuid ?? null),
      deps.policies.get(key.clientKey, 'workspace'),
      loadBosunFile(client, workspace, slug, key.branch),
    ]);
    const repositoryLayer = repositoryUuid ? await deps.policies.get(key.clientKey, repositoryUuid as PolicyScope) : null;
    const { mergeQueue } = resolvePolicy([{ source: 'workspace', data: workspaceLayer?.layer }, { source: 'repository', data: repositoryLayer?.layer }, parseBosunFile(bosunFile)]).policy;
    return { strategy: mergeQueue.strategy, closeSourceBranch: mergeQueue.closeSourceBranch };
  };

  // The views read it on every load, and the PR panel reloads every 3 s while its PR is queued: each read costs a
  // Bitbucket request (the branch's bosun.yml). What they show may be up to 30 s old; the runner and the status tool read it fresh.
  // A reading that fails does not fail the view: it shows the last value read (kept while newer ones fail), else null
  // ("strategy unknown right now"), and the reading is tried again after VIEW_LANDING_RETRY_MS, not on every poll.
  const viewLandings = new Map<string, { at: number; ttl: number; landing: Promise<QueueLandingPolicy | null>; known: QueueLandingPolicy | null }>();
  const viewLandingPolicy = (key: QueueKey, repositoryUuid: string): Promise<QueueLandingPolicy | null> => {
    const id = JSON.stringify([key.clientKey, key.repository, key.branch]);
    const at = now().getTime();
    const hit = viewLandings.get(id);
    if (hit && at - hit.at < hit.ttl) return hit.landing;
    // The last value read outlives its TTL only as the answer while a newer reading fails (kept 10 minutes at most).
    const lastKnown = hit && at - hit.at < 20 * VIEW_LANDING_TTL_MS ? hit.known : null;
    for (const [k, v] of viewLandings) if (at - v.at >= 20 * VIEW_LANDING_TTL_MS) viewLandings.delete(k);
    const entry = { at, ttl: VIEW_LANDING_TTL_MS, known: lastKnown, landing: Promise.resolve<QueueLandingPolicy | null>(null) };
    entry.landing = landingPolicy(key, repositoryUuid).then(
      (landing) => {
        entry.known = landing;
        return landing;
      },
      (error: unknown) => {
        entry.ttl = VIEW_LANDING_RETRY_MS;
        logger.warn('Could not read a queue branch\'s landing policy for a view; it answers without it', {
          clientKey: key.clientKey, branch: key.branch, error: error instanceof Error ? error.name : 'unknown',
        });
        return lastKnown;
      },
    );
    viewLandings.set(id, entry);
    return entry.landing;
  };

  // The PR and the repository the views show: from the mirror when it knows them (0 Bitbucket calls), else one live
  // read, which fills the mirror so the next load is warm (as the PR panel's own view does). Always the tenant's own rows.
  const viewPullRequest = async (tenant: Tenant, repositoryUuid: string, prId: number): Promise<ViewPullRequest> => {
    const mirror = deps.mirror;
    if (mirror) {
      await mirror.settled();
      const row = await mirror.store.getPullRequest(tenant.clientKey, repositoryUuid, prId);
      if (row) {
        const pr = readPullRequest(row);
        const repository = pr.destination.repository?.full_name ?? (await mirror.store.getRepository(tenant.clientKey, repositoryUuid))?.fullName;
        const branch = pr.destination.branch?.name;
        if (repository && branch) return { id: pr.id, state: pr.state, repository, branch, closeSourceBranch: pr.close_source_branch ?? null };
      }
    }
    const pr = await deps.clients.forTenant(await tenantOf(tenant.clientKey)).pullRequests.get(workspaceOf(tenant), repositoryUuid, prId);
    const summary = pr.destination.repository;
    if (mirror) await rememberPullRequest(mirror.store, tenant.clientKey, repositoryUuid, pr, now());
    return { id: pr.id, state: pr.state, repository: summary?.full_name ?? '', branch: pr.destination.branch?.name ?? '', closeSourceBranch: pr.close_source_branch ?? null };
  };
  const viewRepository = async (tenant: Tenant, repositoryUuid: string): Promise<{ fullName: string; uuid: string }> => {
    const mirror = deps.mirror;
    if (mirror) {
      await mirror.settled();
      const row = await mirror.store.getRepository(tenant.clientKey, repositoryUuid);
      if (row) return { fullName: row.fullName, uuid: row.uuid };
    }
    const repo = await deps.clients.forTenant(await tenantOf(tenant.clientKey)).repositories.get(workspaceOf(tenant), repositoryUuid);
    if (mirror && repo.uuid === repositoryUuid) await mirror.store.upsertRepositories(tenant.clientKey, [toRepositoryRecord(repo)], now());
    return { fullName: repo.full_name, uuid: repo.uuid };
  };

  const driver = createMergeQueueDriver({ store, now, repositoryFor, checkReady, landingPolicy, notify, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 250))) });

  const port: MergeQueuePort = {
    async submit(key, event, options = {}) {
      const handled = await driver.handle(key, event, { resume: options.resume ?? false });
      // A step that may have run before re-arms the CI watches too (merge-queue-handler's followMergeQueue).
      await followMergeQueue(deps.queue, key, handled, now(), { rearm: options.resume ?? false });
      return { summary: summarizeQueue(handled.state, now()), notices: handled.notices, at: handled.at.toISOString() };
    },
    async load(key) {
      const state = await store.load(key);
      return state ? summarizeQueue(state, now()) : null;
    },
    loadLandingPolicy: (key) => landingPolicy(key),
    mayUseLane: (input) => mayUseLane(input),
  };

  const routeBranches = async (clientKey: string, repositoryUuid: string | null): Promise<string[]> => {
    const [workspace, repository] = await Promise.all([
      deps.policies.get(clientKey, 'workspace'),
      repositoryUuid ? deps.policies.get(clientKey, repositoryUuid as PolicyScope) : Promise.resolve(null),
    ]);
    return resolvePolicy([{ source: 'workspace', data: workspace?.layer }, { source: 'repository', data: repository?.layer }]).policy.mergeQueue.branches;
  };
  const mayUseLane: MergeQueuePort['mayUseLane'] = async ({ clientKey, repositoryUuid, lane, userUuid }) => {
    const [workspace, repository] = await Promise.all([
      deps.policies.get(clientKey, 'workspace'),
      repositoryUuid ? deps.policies.get(clientKey, repositoryUuid as PolicyScope) : Promise.resolve(null),
    ]);
    const { policy } = resolvePolicy([{ source: 'workspace', data: workspace?.layer }, { source: 'repository', data: repository?.layer }]);
    return (policy.mergeQueue.lanes[lane] ?? []).some((p) => p === userUuid || (p.startsWith('group:') && (policy.groups[p.slice(6)] ?? []).includes(userUuid)));
  };
  const viaQueue = (branches: string[], branch: string) => branches.some((glob) => toBranchGlob(glob).test(branch));

  const mergeRoute: MergeRouteResolver = async ({ tenant, autoMerge, pullRequest }) => {
    const branches = await routeBranches(tenant.clientKey, pullRequest.destination.repository?.uuid ?? autoMerge.repositoryUuid);
    return viaQueue(branches, pullRequest.destination.branch?.name ?? '') ? 'queue' : 'direct';
  };

  const views: MergeQueueViews = {
    async loadForPullRequest(tenant, query) {
      const pr = await viewPullRequest(tenant, query.repoUuid, query.prId);
      const key: QueueKey = { clientKey: tenant.clientKey, repository: pr.repository, branch: pr.branch };
      const [state, branches, landing] = await Promise.all([store.load(key), routeBranches(tenant.clientKey, query.repoUuid), viewLandingPolicy(key, query.repoUuid)]);
      const summary = state ? summarizeQueue(state, now()) : null;
      const entry = summary?.entries.find((e) => e.prId === pr.id);
      const batch = entry?.batchId ? summary?.batches.find((b) => b.id === entry.batchId) : undefined;
      const finished = state?.entries.filter((e) => e.prId === pr.id && (e.state === 'merged' || e.state === 'ejected' || e.state === 'dequeued')).at(-1);
      const view: PullRequestQueueView = {
        repository: key.repository,
        branch: key.branch,
        pullRequestId: pr.id,
        mergeViaQueue: viaQueue(branches, key.branch),
        place: entry ? { position: entry.position, state: entry.state, lane: entry.lane, etaAt: entry.etaAt } : null,
        batch: batch ? { id: batch.id, prIds: batch.prIds, state: batch.state } : null,
        queueLength: summary?.entries.length ?? 0,
        freeze: summary?.freeze ?? { frozen: false, until: null, reason: null },
        paused: summary?.paused ?? false,
        lastLeft: !entry && finished ? { state: finished.state as 'merged' | 'ejected' | 'dequeued', reason: finished.reason, endedAt: finished.endedAt } : null,
        canQueue: pr.state === 'OPEN',
        landing: landing
          ? {
              strategy: landing.strategy,
              closeSourceBranch: landing.closeSourceBranch ?? null,
              sourceBranchClosed: landing.closeSourceBranch ?? pr.closeSourceBranch ?? false,
            }
          : null,
      };
      return view;
    },
    async loadForRepository(tenant, query) {
      const repo = await viewRepository(tenant, query.repoUuid);
      const queues = await store.list(tenant.clientKey, repo.fullName);
      return {
        repository: repo.fullName,
        queues: await Promise.all(queues.map(async (q) => {
          const landing = await viewLandingPolicy({ clientKey: tenant.clientKey, repository: repo.fullName, branch: q.branch }, repo.uuid);
          return { ...(summarizeQueue(q, now()) satisfies BranchQueueView), landing: landing ? { strategy: landing.strategy, closeSourceBranch: landing.closeSourceBranch ?? null } : null };
        })),
      };
    },
    async listForAdmin(tenant) {
      return { queues: (await store.listForTenant(tenant.clientKey)).map((q): BranchQueueView => summarizeQueue(q, now())) };
    },
    async configure(tenant, change, by) {
      // Always the tenant's own workspace: another workspace's repository is refused.
      const [workspace] = splitRepository(change.repository);
      if (workspace !== tenant.workspaceSlug) throw new QueueConfigurationError(`${change.repository} is not in this workspace.`);
      const key: QueueKey = { clientKey: tenant.clientKey, repository: change.repository, branch: change.branch };
      const startedAt = now();
      const answer = await port.submit(key, { type: 'configure', settings: change.settings });
      // An admin's freeze, pause, lanes or batching is an action like any tool's: the executor records it.
      await deps.executor().recordAction(
        {
          idempotencyKey: `merge-queue-settings:${change.repository}:${change.branch}:${by}:${answer.at ?? startedAt.toISOString()}`,
          trigger: { kind: 'admin-settings', ref: `${change.repository}:${change.branch}` },
          source: 'button',
          summary: `Change the ${change.branch} merge queue of ${change.repository}`,
          action: 'mergeQueue.configure',
          message: toSettingsChangeText(change.repository, change.branch, change.settings),
          startedAt,
        },
        { tenant: { clientKey: tenant.clientKey, workspace }, actor: { kind: 'user', userUuid: by, accountId: null } },
      );
      return answer.summary;
    },
  };

  const ciDeps = { driver, queue: deps.queue, store, repositoryFor, toVerdict: (s: Parameters<typeof toQueueCiVerdict>[0]) => toQueueCiVerdict(s, ['bosun/readiness', 'bosun/config']), now, pollMs: deps.ciPollMs };
  return {
    driver,
    port,
    mergeRoute,
    views,
    handlers: {
      [MERGE_QUEUE_JOB]: createMergeQueueJobHandler({ driver, queue: deps.queue }),
      [MERGE_QUEUE_CI_JOB]: createMergeQueueCiHandler(ciDeps),
      [MERGE_QUEUE_TICK_JOB]: createMergeQueueTickHandler({ ...ciDeps, hasWork }),
      [MERGE_QUEUE_STATUS_JOB]: createMergeQueueStatusHandler({ ...ciDeps, hasWork }),
      [MERGE_QUEUE_PR_JOB]: createMergeQueuePullRequestHandler({ driver, queue: deps.queue, store, deliveries: deps.deliveries, now }),
    },
    recurring: { type: MERGE_QUEUE_TICK_JOB, everyMs: deps.tickEveryMs ?? 60_000 },
  };
}

/** What an admin changed, for the audit log: "Froze main of acme/web; batch size 4." */
export function toSettingsChangeText(repository: string, branch: string, s: Partial<QueueSettings>): string {
  const parts: string[] = [];
  if (s.frozen !== undefined) parts.push(s.frozen ? `Froze ${branch} of ${repository}` : `Unfroze ${branch} of ${repository}`);
  if (s.paused !== undefined) parts.push(s.paused ? `Paused the ${branch} queue of ${repository}` : `Resumed the ${branch} queue of ${repository}`);
  const rest: string[] = [];
  if (s.lanes !== undefined) rest.push(`lanes ${s.lanes.join(', ')}`);
  if (s.batchSize !== undefined) rest.push(`batch size ${s.batchSize}`);
  if (s.depth !== undefined) rest.push(`speculation depth ${s.depth}`);
  if (s.retryFailedBatchOnce !== undefined) rest.push(s.retryFailedBatchOnce ? 'a failed batch retried once' : 'no retry of a failed batch');
  if (s.freezeWindows !== undefined) rest.push(`${s.freezeWindows.length} freeze window${s.freezeWindows.length === 1 ? '' : 's'}`);
  if (rest.length > 0) parts.push(`${parts.length === 0 ? `Set the ${branch} queue of ${repository} to ` : ''}${rest.join(', ')}`);
  return `${parts.length > 0 ? parts.join('; ') : `Saved the ${branch} queue of ${repository} unchanged`}.`;
}

/** An admin asked to configure a queue Bosun may not touch (another workspace's repository). */
export class QueueConfigurationError extends PermanentError<'MERGE_QUEUE_CONFIGURATION'> {

  constructor(message: string) {
    super('MERGE_QUEUE_CONFIGURATION', 422, message);
  }
}
