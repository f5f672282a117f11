import express, { type Router } from 'express';
import { z } from 'zod';
import type { PolicyPreviewView, PolicyViews, ReadinessView, RepositoryPolicyListView, RuleActivityView, RepositoryPolicyView, WorkspacePolicyView } from './policy-views';
import { createSessionRoutes, HttpAnswer, parseBody, parseQuery, requireViewerUuid, uuidParam, type SessionGuards } from './session-routes';

export interface PolicyRouterDeps extends SessionGuards {
  policyViews: PolicyViews;
}

const readinessQuery = z.object({ repoUuid: uuidParam, prId: z.coerce.number().int().positive() });
const saveBody = z.object({ layer: z.record(z.string(), z.unknown()), expectedVersion: z.number().int().min(0) });
const previewBody = z.object({ layer: z.record(z.string(), z.unknown()) });
const repositoryQuery = z.object({ repoUuid: uuidParam });
const repositorySaveBody = saveBody.extend({ repoUuid: uuidParam });
const repositoryPreviewBody = previewBody.extend({ repoUuid: uuidParam });

/** A 422's body: the view with its issues, and the error shape every API error has (ApiErrorBody). */
const toInvalid = <T extends { issues: { path: string; message: string }[] }>(view: T) =>
  new HttpAnswer(422, {
    ...view,
    error: { code: 'INVALID_POLICY', message: `The policy is invalid: ${view.issues.slice(0, 5).map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}` },
  });

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

  handle('get', '/api/pr-panel/rule-activity', ['pr-panel'], async ({ tenant, req }): Promise<RuleActivityView> => {
    const q = parseQuery(readinessQuery, req);
    return deps.policyViews.loadRuleActivity(tenant, { repoUuid: q.repoUuid, prId: q.prId });
  });

  handle('get', '/api/admin/policy', ['admin-settings'], async ({ tenant }): Promise<WorkspacePolicyView> => deps.policyViews.loadWorkspacePolicy(tenant));

  handle('post', '/api/admin/policy', ['admin-settings'], async ({ tenant, viewer, req }) => {
    const body = parseBody(saveBody, req);
    const result = await deps.policyViews.saveWorkspacePolicy(tenant, { layer: body.layer, expectedVersion: body.expectedVersion, updatedBy: requireViewerUuid(viewer) });
    // 422: the body was well-formed JSON, the policy in it is not; nothing was saved.
    return result.saved ? result.view : toInvalid(result.view);
  });

  handle('post', '/api/admin/policy/preview', ['admin-settings'], async ({ tenant, req }) => {
    const body = parseBody(previewBody, req);
    const preview: PolicyPreviewView = await deps.policyViews.previewWorkspacePolicy(tenant, body.layer);
    return preview.issues.length > 0 ? toInvalid(preview) : preview;
  });

  // Per-repository overrides: admin settings only, the repository checked to be the tenant's own.
  handle('get', '/api/admin/policy/repositories', ['admin-settings'], async ({ tenant }): Promise<RepositoryPolicyListView> => deps.policyViews.listRepositoryPolicies(tenant));

  handle('get', '/api/admin/policy/repository', ['admin-settings'], async ({ tenant, req }): Promise<RepositoryPolicyView> =>
    deps.policyViews.loadRepositoryPolicy(tenant, parseQuery(repositoryQuery, req).repoUuid),
  );

  handle('post', '/api/admin/policy/repository', ['admin-settings'], async ({ tenant, viewer, req }) => {
    const body = parseBody(repositorySaveBody, req);
    const result = await deps.policyViews.saveRepositoryPolicy(tenant, { repoUuid: body.repoUuid, layer: body.layer, expectedVersion: body.expectedVersion, updatedBy: requireViewerUuid(viewer) });
    return result.saved ? result.view : toInvalid(result.view);
  });

  handle('post', '/api/admin/policy/repository/preview', ['admin-settings'], async ({ tenant, req }) => {
    const body = parseBody(repositoryPreviewBody, req);
    const preview: PolicyPreviewView = await deps.policyViews.previewRepositoryPolicy(tenant, { repoUuid: body.repoUuid, layer: body.layer });
    return preview.issues.length > 0 ? toInvalid(preview) : preview;
  });

  return router;
}
