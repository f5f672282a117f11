import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { pageNames, type HostAuthenticator, type PageName } from '../host';
import type { PageContext } from './api/contracts';
import { ADMIN_PAGES } from './api/session-routes';
import type { WorkspaceAdminCheck } from './api/workspace-admin-check';
import { escapeHtml } from './escape-html';
import { renderAdminOnlyPage } from './render-admin-only-page';
import { NotFoundError } from './request-validation-error';

export interface PagesDeps {
  auth: HostAuthenticator;
  clientDir: string;
  /** Admin pages are served to workspace admins only, as Bitbucket says (not as the iframe URL claims). */
  admin: WorkspaceAdminCheck;
  /** Bitbucket's site and its Connect host script, from configuration (never from an installation). */
  site: { siteUrl: string; hostScriptUrl: string };
}

/** Who may frame what Bosun serves: Bosun itself and the host (Bitbucket's site), nobody else. */
export function toFrameAncestors(site: { siteUrl: string }): string {
  return `frame-ancestors 'self' ${new URL(site.siteUrl).origin}`;
}

/**
 * The only script from elsewhere a page may run is Bitbucket's host script, named exactly; only
 * Bitbucket may frame the page. Styles and images are left alone (Atlaskit injects styles).
 */
export function toPageCsp(site: { siteUrl: string; hostScriptUrl: string }): string {
  return [`script-src 'self' ${site.hostScriptUrl}`, "object-src 'none'", "base-uri 'none'", toFrameAncestors(site)].join('; ');
}



const stringParam = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : null;

/** `</script>` inside JSON would end the tag early. */
const toScriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** Reads each built page once; a missing build is a clear 503, not a crash. */
function loadTemplates(clientDir: string): Map<PageName, string> {
  const templates = new Map<PageName, string>();
  for (const page of pageNames) {
    const file = path.join(clientDir, page, 'index.html');
    if (existsSync(file)) templates.set(page, readFileSync(file, 'utf8'));
  }
  return templates;
}

/**
 * Serves a Connect module's iframe: verifies the JWT Bitbucket put in the URL (qsh covers the
 * context parameters, so the viewer's uuid is trustworthy), then mints a session for the page's XHRs.
 */
export function createPagesRouter(deps: PagesDeps): Router {
  const router = express.Router();
  const templates = loadTemplates(deps.clientDir);
  router.use('/assets', express.static(path.join(deps.clientDir, 'assets'), { immutable: true, maxAge: '365d', index: false }));

  router.get('/pages/:page', async (req, res, next) => {
    try {
      const page = pageNames.find((p) => p === req.params.page);
      if (!page) throw new NotFoundError(`There is no Bosun page called "${req.params.page}"`);
      const { tenant } = await deps.auth.verifyHostRequest(req);
      if (ADMIN_PAGES.includes(page) && !(await deps.admin.isAdmin(tenant, stringParam(req.query.userUuid)))) {
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Content-Security-Policy', toPageCsp(deps.site));
        res.status(403).type('html').send(renderAdminOnlyPage({ workspaceName: tenant.workspaceName, hostScriptUrl: deps.site.hostScriptUrl }));
        return;
      }
      const template = templates.get(page);
      if (!template) {
        res.status(503).type('text/plain').send('Bosun\'s UI is not built yet: run "npm run build:client" and restart.');
        return;
      }
      const context: PageContext = {
        page,
        repoUuid: stringParam(req.query.repoUuid),
        repoFullName: stringParam(req.query.repoFullName),
        prId: stringParam(req.query.prId),
        userUuid: stringParam(req.query.userUuid),
        accountId: stringParam(req.query.accountId),
        hostBaseUrl: deps.site.siteUrl,
      };
      const token = deps.auth.mintSession({ clientKey: tenant.clientKey, installId: tenant.installId, userUuid: context.userUuid, accountId: context.accountId, page });
      const head = [
        `<meta name="bosun-session" content="${escapeHtml(token)}">`,
        `<script id="bosun-context" type="application/json">${toScriptJson(context)}</script>`,
        `<script src="${escapeHtml(deps.site.hostScriptUrl)}"></script>`,
      ].join('\n    ');
      const html = template.replace('</head>', `    ${head}\n  </head>`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader('Content-Security-Policy', toPageCsp(deps.site));
      res.type('html').send(html);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
