import express, { type Router } from 'express';
import { z } from 'zod';
import type { PolicyPreviewView, PolicyViews, ReadinessView, WorkspacePolicyView } from './policy-views';
import { createSessionRoutes, HttpAnswer, parseBody, parseQuery, requireViewerUuid, uuidParam, type SessionGuards } from './session-routes';

export interface PolicyRouterDeps extends SessionGuards {
  policyViews: PolicyViews;
}

const readinessQuery = z.object({ repoUuid: uuidParam, prId: z.coerce.number().int().positive() });
const saveBody = z.object({ layer: z.record(z.string(), z.unknown()), expectedVersion: z.number().int().min(0) });
const previewBody = z.object({ layer: z.record(z.string(), z.unknown()) });

/**
 * The readiness checklist for the PR panel and the workspace policy for admin settings (admin
 * pages' sessions are checked against Bitbucket by the session routes).
 */
export function createPolicyRouter(deps: PolicyRouterDeps): Router {
  const router = express.Router();
  const handle = createSessionRoutes(router, deps);

  handle('get', '/api/pr-panel/readiness', ['pr-panel'], async ({ tenant, req }): Promise<ReadinessView> => {
    const q = parseQuery(readinessQuery, req);
    return deps.policyViews.loadReadiness(tenant, { repoUuid: q.repoUuid, prId: q.prId });
  });

  handle('get', '/api/admin/policy', ['admin-settings'], async ({ tenant }): Promise<WorkspacePolicyView> => deps.policyViews.loadWorkspacePolicy(tenant));

  handle('post', '/api/admin/policy', ['admin-settings'], async ({ tenant, viewer, req }) => {
    const body = parseBody(saveBody, req);
    const result = await deps.policyViews.saveWorkspacePolicy(tenant, { layer: body.layer, expectedVersion: body.expectedVersion, updatedBy: requireViewerUuid(viewer) });
    // 422: the body was well-formed JSON, the policy in it is not; nothing was saved.
    return result.saved ? result.view : new HttpAnswer(422, result.view);
  });

  handle('post', '/api/admin/policy/preview', ['admin-settings'], async ({ tenant, req }) => {
    const body = parseBody(previewBody, req);
    const preview: PolicyPreviewView = await deps.policyViews.previewWorkspacePolicy(tenant, body.layer);
    return preview.issues.length > 0 ? new HttpAnswer(422, preview) : preview;
  });

  return router;
}
