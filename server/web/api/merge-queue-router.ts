import express, { type Router } from 'express';
import { z } from 'zod';
import type { AdminQueuesView, BranchQueueView, MergeQueueViews, PullRequestQueueView, RepositoryQueuesView } from './merge-queue-views';
import { createSessionRoutes, parseBody, parseQuery, requireViewerUuid, uuidParam, type SessionGuards } from './session-routes';

export interface MergeQueueRouterDeps extends SessionGuards {
  mergeQueueViews: MergeQueueViews;
}

const branch = z.string().min(1).max(255).regex(/^(?!\/)(?!.*\/\/)(?!.*\.\.)[^\s~^:?*[\\]+(?<![/.])$/, 'must be a valid git branch name');
const prQuery = z.object({ repoUuid: uuidParam, prId: z.coerce.number().int().positive() });
const repoQuery = z.object({ repoUuid: uuidParam });
/** Why the admin API no longer takes a queue's mergeStrategy. */
export const MERGE_STRATEGY_MOVED = "The merge queue's strategy is set by the policy now: save mergeQueue.strategy (merge_commit or fast_forward) in the workspace or repository policy, or the branch's bosun.yml.";

const configureBody = z.strictObject({
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be workspace/slug'),
  branch,
  settings: z.strictObject({
    batchSize: z.number().int().min(1).max(50).optional(),
    depth: z.number().int().min(1).max(10).optional(),
    retryFailedBatchOnce: z.boolean().optional(),
    lanes: z.array(z.string().min(1).max(64).regex(/^[\w.-]+$/, 'must be a lane name (letters, digits, . _ -)')).min(1).max(10)
      .refine((l) => new Set(l).size === l.length, 'lanes must be distinct').optional(),
    frozen: z.boolean().optional(),
    paused: z.boolean().optional(),
    /** Moved to the policy (docs/merge-queue.md): refused with where to set it instead. */
    mergeStrategy: z.never({ error: MERGE_STRATEGY_MOVED }).optional(),
  }),
});

/**
 * The merge queue where people look: the PR panel's place in the queue (joining and leaving go
 * through Ask Bosun's execute route, so the executor checks write access and audits), the
 * repository dashboard's queue per branch, and admin settings' lanes, freezes and pause.
 */
export function createMergeQueueRouter(deps: MergeQueueRouterDeps): Router {
  const router = express.Router();
  const handle = createSessionRoutes(router, deps);

  handle('get', '/api/pr-panel/queue', ['pr-panel'], async ({ tenant, req }): Promise<PullRequestQueueView> => {
    const q = parseQuery(prQuery, req);
    return deps.mergeQueueViews.loadForPullRequest(tenant, { repoUuid: q.repoUuid, prId: q.prId });
  });

  handle('get', '/api/repo-dashboard/queues', ['repo-dashboard'], async ({ tenant, req }): Promise<RepositoryQueuesView> => {
    const q = parseQuery(repoQuery, req);
    return deps.mergeQueueViews.loadForRepository(tenant, { repoUuid: q.repoUuid });
  });

  handle('get', '/api/admin/merge-queues', ['admin-settings'], async ({ tenant }): Promise<AdminQueuesView> => deps.mergeQueueViews.listForAdmin(tenant));

  handle('post', '/api/admin/merge-queues', ['admin-settings'], async ({ tenant, viewer, req }): Promise<BranchQueueView> => {
    const body = parseBody(configureBody, req);
    return deps.mergeQueueViews.configure(tenant, body, requireViewerUuid(viewer));
  });

  return router;
}
