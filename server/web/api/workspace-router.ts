import express, { type Router } from 'express';
import { createSessionRoutes, type SessionGuards } from './session-routes';
import type { WorkspaceOverviewView, WorkspaceOverviewViews } from './workspace-overview-views';

export interface WorkspaceRouterDeps extends SessionGuards {
  workspaceOverview: WorkspaceOverviewViews;
}

/**
 * The workspace page's own read: every repository from the mirror. Anyone the page was served to may
 * read it (Bitbucket shows the page to workspace members); what changes repositories goes through the
 * template routes, which check that the viewer administers the workspace.
 */
export function createWorkspaceRouter(deps: WorkspaceRouterDeps): Router {
  const router = express.Router();
  const handle = createSessionRoutes(router, deps);
  handle('get', '/api/workspace', ['workspace'], async ({ tenant }): Promise<WorkspaceOverviewView> => deps.workspaceOverview.load(tenant));
  return router;
}
