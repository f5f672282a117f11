import express, { type Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../request-validation-error';
import { CI_PROVIDER_NAMES, type CiIntegrationViews } from './ci-integration-views';
import { createSessionRoutes, parseBody, requireViewerUuid, type SessionGuards } from './session-routes';
import { storableText } from './storable-text';

export interface CiIntegrationsRouterDeps extends SessionGuards {
  ciViews: CiIntegrationViews;
}

const createBody = z.object({
  provider: z.enum(CI_PROVIDER_NAMES),
  name: storableText({ min: 1, max: 100 }),
  repository: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'must be "workspace/repository"')
    .nullable()
    .default(null),
});
const idParam = z.string().regex(/^ci_[A-Za-z0-9]{8,40}$/);

function toId(raw: unknown): string {
  const parsed = idParam.safeParse(raw);
  if (!parsed.success) throw new NotFoundError('No such CI integration');
  return parsed.data;
}

/** Admin settings: create, rotate and delete CI integrations; admin pages only (the session routes ask Bitbucket). */
export function createCiIntegrationsRouter(deps: CiIntegrationsRouterDeps): Router {
  const router = express.Router();
  const handle = createSessionRoutes(router, deps);
  const pages = ['admin-settings' as const];

  handle('get', '/api/admin/ci-integrations', pages, async ({ tenant }) => ({ integrations: await deps.ciViews.list(tenant) }));

  handle('post', '/api/admin/ci-integrations', pages, async ({ tenant, viewer, req }) => {
    const body = parseBody(createBody, req);
    return deps.ciViews.create(tenant, body, requireViewerUuid(viewer));
  });

  handle('post', '/api/admin/ci-integrations/:id/rotate', pages, async ({ tenant, req }) => {
    const rotated = await deps.ciViews.rotate(tenant, toId(req.params.id));
    if (!rotated) throw new NotFoundError('No such CI integration');
    return rotated;
  });

  handle('delete', '/api/admin/ci-integrations/:id', pages, async ({ tenant, req }) => {
    if (!(await deps.ciViews.remove(tenant, toId(req.params.id)))) throw new NotFoundError('No such CI integration');
    return { deleted: true };
  });

  return router;
}
