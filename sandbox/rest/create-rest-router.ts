import { partialResponses } from './partial-response';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { SandboxError } from '../state/sandbox-error';
import { createRouteKit, type RestRouterDeps } from './route-kit';
import { mountBranchRestrictionRoutes } from './routes/branch-restrictions';
import { mountBranchRoutes } from './routes/branches';
import { mountCommitRoutes } from './routes/commits';
import { mountDefaultReviewerRoutes } from './routes/default-reviewers';
import { mountHookRoutes } from './routes/hooks';
import { mountMergeRoutes } from './routes/merge';
import { mountPipelineRoutes } from './routes/pipelines';
import { mountPipelinesConfigRoutes } from './routes/pipelines-config';
import { mountPullRequestCommentRoutes } from './routes/pull-request-comments';
import { mountPullRequestHistoryRoutes } from './routes/pull-request-history';
import { mountPullRequestRoutes } from './routes/pull-requests';
import { mountReportRoutes } from './routes/reports';
import { mountRepositoryRoutes } from './routes/repositories';
import { mountSourceUploadRoutes } from './routes/source-upload';
import { mountStatusRoutes } from './routes/statuses';
import { mountUserRoutes } from './routes/users';
import { mountWorkspaceRoutes } from './routes/workspaces';
import { sendError } from './send-error';

export type { RestRouterDeps } from './route-kit';

/** /2.0: one router file per resource under routes/, sharing auth, scopes and rate limits through the route kit. */
export function createRestRouter(deps: RestRouterDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  router.use(partialResponses);
  const kit = createRouteKit(deps);
  for (const mount of [
    mountUserRoutes, mountWorkspaceRoutes, mountRepositoryRoutes, mountBranchRoutes, mountCommitRoutes, mountSourceUploadRoutes, mountStatusRoutes,
    mountPullRequestRoutes, mountMergeRoutes, mountPullRequestCommentRoutes, mountPullRequestHistoryRoutes,
    mountDefaultReviewerRoutes, mountBranchRestrictionRoutes, mountHookRoutes, mountPipelineRoutes, mountPipelinesConfigRoutes, mountReportRoutes,
  ]) {
    mount(router, kit);
  }

  router.use((req: Request, res: Response) => sendError(res, 404, `Resource not found: ${req.method} ${req.originalUrl}`));
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SyntaxError || (err as { type?: string }).type === 'entity.parse.failed') return sendError(res, 400, 'Malformed JSON body.');
    if (err instanceof SandboxError) return sendError(res, err.status, err.message, err.detail, err.data);
    sendError(res, 500, 'Something went wrong in the sandbox.');
  });
  return router;
}
