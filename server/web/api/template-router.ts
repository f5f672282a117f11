import express, { type Router } from 'express';
import { z } from 'zod';
import { createSessionRoutes, HttpAnswer, parseBody, parseQuery, requireViewerUuid, type SessionGuards, type SessionHandler } from './session-routes';
import type { TemplateViews } from './template-views';
import { NotFoundError } from '../request-validation-error';

export interface TemplateRouterDeps extends SessionGuards {
  templateViews: TemplateViews;
}

const templateName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const slug = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,61}$/);
const saveBody = z.object({ template: z.record(z.string(), z.unknown()), expectedVersion: z.number().int().min(0) });
// Up to 500 a call: the preview reads only the mirror.
const previewBody = z.object({ template: templateName, repos: z.array(slug).min(1).max(500) });
/** Bulk changes need an explicit yes (DESIGN.md): `confirmed: true`, after a preview. */
const applyBody = z.object({ template: templateName, repos: z.array(slug).min(1).max(500), batchKey: z.string().min(8).max(64).regex(/^[\w-]+$/), confirmed: z.literal(true) });
const jobId = z.string().regex(/^[0-9a-f-]{36}$/i);
const progressQuery = z.object({
  jobs: z.string().max(500 * 37).optional().transform((s) => (s ?? '').split(',').filter((j) => j !== '')),
  batch: jobId.optional(),
});
const createBody = z.object({
  template: templateName,
  repo: slug,
  projectKey: z.string().regex(/^[A-Za-z0-9_]{1,64}$/).optional(),
  requestKey: z.string().min(8).max(64).regex(/^[\w-]+$/),
  confirmed: z.literal(true),
});
const deleteQuery = z.object({ name: templateName });
const driftCheckQuery = z.object({ job: jobId });

/** Repository templates in admin settings: edit, preview on repositories, apply as jobs, watch progress. */
export function createTemplateRouter(deps: TemplateRouterDeps): Router {
  const router = express.Router();
  const session = createSessionRoutes(router, deps);
  // The workspace page (readable by members) calls these too: its sessions are checked against
  // Bitbucket here, as admin-settings sessions are by the session routes.
  const pages = ['admin-settings' as const, 'workspace' as const];
  const handle = (method: 'get' | 'post' | 'delete', path: string, allowed: typeof pages, handler: SessionHandler) =>
    session(method, path, allowed, async (ctx) => {
      if (ctx.viewer.page === 'workspace') await deps.admin.requireAdmin(ctx.tenant, ctx.viewer.userUuid);
      return handler(ctx);
    });

  handle('get', '/api/admin/templates', pages, async ({ tenant }) => deps.templateViews.list(tenant));

  handle('post', '/api/admin/templates', pages, async ({ tenant, viewer, req }) => {
    const body = parseBody(saveBody, req);
    const result = await deps.templateViews.save(tenant, { template: body.template, expectedVersion: body.expectedVersion, updatedBy: requireViewerUuid(viewer) });
    // 422: well-formed JSON holding an invalid template; nothing was saved. The issues name each field
    // (the editor shows them beside it), with the error shape every API error has.
    if (result.saved) return result.view;
    const summary = result.issues.slice(0, 5).map((i) => `${i.path || '(root)'} ${i.message}`).join('; ');
    return new HttpAnswer(422, { issues: result.issues, error: { code: 'INVALID_TEMPLATE', message: `The template is invalid: ${summary}` } });
  });

  handle('delete', '/api/admin/templates', pages, async ({ tenant, req }) => {
    const { name } = parseQuery(deleteQuery, req);
    return { deleted: await deps.templateViews.remove(tenant, name) };
  });

  handle('post', '/api/admin/templates/preview', pages, async ({ tenant, req }) => {
    const body = parseBody(previewBody, req);
    return deps.templateViews.preview(tenant, body);
  });

  handle('post', '/api/admin/templates/apply', pages, async ({ tenant, viewer, req }) => {
    const body = parseBody(applyBody, req);
    const accepted = await deps.templateViews.apply(tenant, {
      template: body.template, repos: [...new Set(body.repos)], batchKey: body.batchKey, actor: { userUuid: requireViewerUuid(viewer), accountId: viewer.accountId },
    });
    return new HttpAnswer(202, accepted);
  });

  handle('post', '/api/admin/templates/create-repository', pages, async ({ tenant, viewer, req }) => {
    const body = parseBody(createBody, req);
    const accepted = await deps.templateViews.createRepository(tenant, {
      template: body.template, repo: body.repo, requestKey: body.requestKey, actor: { userUuid: requireViewerUuid(viewer), accountId: viewer.accountId },
      ...(body.projectKey ? { projectKey: body.projectKey } : {}),
    });
    return new HttpAnswer(202, accepted);
  });

  handle('get', '/api/admin/templates/progress', pages, async ({ tenant, req }) => {
    const { jobs, batch } = parseQuery(progressQuery, req);
    return deps.templateViews.progress(tenant, { ...(batch ? { batchId: batch } : {}), jobIds: jobs.filter((j) => /^[0-9a-f-]{36}$/i.test(j)).slice(0, 500) });
  });

  handle('post', '/api/admin/templates/drift-check', pages, async ({ tenant }) => new HttpAnswer(202, await deps.templateViews.checkDriftNow(tenant)));

  handle('get', '/api/admin/templates/drift-check', pages, async ({ tenant, req }) => {
    const { job } = parseQuery(driftCheckQuery, req);
    const view = await deps.templateViews.getDriftCheck(tenant, job);
    if (!view) throw new NotFoundError('There is no such drift check in this workspace.');
    return view;
  });

  return router;
}
