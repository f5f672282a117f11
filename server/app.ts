import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import { USER_OAUTH_SCOPES, type OAuthFlow, type TokenVault, type UserClientFactory } from './auth';
import type { Automation } from './create-automation';
import { createAskBosun, createAuditLogViews, createPendingMergeViews } from './create-ask-bosun';
import { createLiveViews } from './create-live-views';
import { createHostAuthenticator, createLifecycleRouter, toAppDescriptor, type ConnectDescriptor } from './connect';
import { createDualHostAuthenticator, createForgeHostAuthenticator, createForgeRemoteRouter, createForgeUserResolver, type ForgeRemoteRouterDeps, type ForgeTokenCache } from './forge';
import { createBulkhead, type HostUserTokens, type InstallationClientFactory, type LifecycleListener } from './host';
import type { Logger } from './log';
import { toDatabaseBusyError, type TenantStore, type WebhookDeliveryStore } from './storage';
import { createAgentRouter } from './web/api/agent-router';
import { createApiNotFound, createApiRouter } from './web/api/api-router';
import { createSessionGuards, type WebLimits } from './web/api/create-session-guards';
import { createPolicyRouter } from './web/api/policy-router';
import { createMergeQueueRouter } from './web/api/merge-queue-router';
import type { MergeQueueViews } from './web/api/merge-queue-views';
import type { PolicyViews } from './web/api/policy-views';
import { createTemplateRouter } from './web/api/template-router';
import type { TemplateViews } from './web/api/template-views';
import { createWorkspaceRouter } from './web/api/workspace-router';
import type { WorkspaceOverviewViews } from './web/api/workspace-overview-views';
import type { WorkspaceViews } from './web/api/workspace-views';
import { createMetricsRouter, type MetricsSource } from './web/metrics-router';
import { createErrorHandler, sendHttpError } from './web/error-handler';
import { createPagesRouter, toFrameAncestors } from './web/pages-router';
import { createRequestLogger } from './web/request-logger';
import { recordSecurityHeaders } from './web/security-headers';
import { createOAuthRouter } from './web/oauth-router';
import { createWebhookFastPath } from './web/webhook-fast-path';
import { addWebhookRoutes, createWebhookDeliveryHandler, WEBHOOK_BODY_LIMIT_BYTES } from './web/webhooks-router';
import { parseWebhookData } from './bitbucket/webhooks';
import { createCiIntakeRouter } from './web/ci-intake-router';
import { createCiIntegrationsRouter } from './web/api/ci-integrations-router';
import type { CiIntegrationViews } from './web/api/ci-integration-views';
import type { CiIntake } from './jobs/ci-report-jobs';
import type { CiIntegrationStore } from './ci';
import { createSourceRateLimit } from './web/source-rate-limit';
import { NotFoundError } from './web/request-validation-error';

export interface AppDeps {
  descriptor: ConnectDescriptor;
  allowedHosts: string[];
  /** Production rules for installation URLs (https only, default ports). */
  production: boolean;
  /** Bitbucket's site and host script, from configuration. */
  site: { siteUrl: string; hostScriptUrl: string };
  /** Express's trust proxy setting (who may say which address a request came from). */
  trustProxy: string | number | boolean;
  /** Lifecycle calls one source may make per minute (they are unauthenticated until verified); 0 = no limit. */
  lifecycleRatePerMinute: number;
  tenants: TenantStore;
  /** The core's side of host lifecycle events (create-lifecycle-subscriber.ts): first sync, purge. */
  lifecycle: LifecycleListener;
  deliveries: WebhookDeliveryStore;
  clients: InstallationClientFactory;
  userClients: UserClientFactory;
  vault: TokenVault;
  oauth: OAuthFlow;
  sessionKey: Buffer;
  clientDir: string;
  logger: Logger;
  now: () => Date;
  /** Answers whether the database is reachable, for /healthz. */
  checkHealth: () => Promise<void>;
  automation: Automation;
  /** Per-person write limit and admin-check cache (defaults when omitted). */
  web?: WebLimits;
  /** The Forge host beside Connect: its remote routes, and FITs as page sessions (both absent without it). */
  forge?: Pick<ForgeRemoteRouterDeps, 'verify' | 'clients' | 'mergeCheck'> & { appId: string; tokens: ForgeTokenCache };
  /** Holds a Forge viewer's user token while their request runs (userClients reads it); absent: never kept. */
  userTokens?: HostUserTokens;
  /** Readiness checklist and workspace policy (their routes are absent without it). */
  policyViews?: PolicyViews;
  /** The merge queue in the PR panel, the repository dashboard and admin settings. */
  mergeQueueViews?: MergeQueueViews;
  /** Repository templates in admin settings (their routes are absent without it). */
  templateViews?: TemplateViews;
  /** The workspace page's repositories from the mirror (its route is absent without it). */
  workspaceOverview?: WorkspaceOverviewViews;
  /** PR panel and dashboard from the workspace mirror (live reads without it). */
  views?: WorkspaceViews;
  /** `POST /ci/{provider}/{integrationId}` (absent without it). */
  ciIntake?: CiIntake;
  /** CI integrations, for admin settings. */
  ciIntegrations?: CiIntegrationStore;
  /** Admin settings' CI integrations (their routes are absent without it). */
  ciViews?: CiIntegrationViews;
  /** Served at /metrics (Prometheus); absent: no /metrics. */
  metrics?: MetricsSource;
}

type NodeHandle = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/**
 * Lets `first` answer a request before Express does anything with it. `app(req, res)` (what a server's
 * 'request' event and app.listen call) hands every request to app.handle; this one asks `first` before.
 */
function serveFirst(app: Express, first: (req: IncomingMessage, res: ServerResponse) => boolean): void {
  const handled = app as unknown as { handle: NodeHandle };
  const viaExpress = handled.handle.bind(app);
  handled.handle = (req, res, next) => {
    if (!first(req, res)) viaExpress(req, res, next);
  };
}

/** The Express app; never listens (tests import it). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  // Express's extended query parser (qs) validates its options and builds a result even for a URL
  // without a query, such as every webhook delivery's: that one is {} (what qs answers), without qs.
  const parseQuery = app.get('query parser fn') as (query: string) => unknown;
  app.set('query parser', (query: string | null | undefined) => (query ? parseQuery(query) : {}));
  const applySecurityHeaders = recordSecurityHeaders({
    // Framing is governed by CSP frame-ancestors naming the host (Bitbucket frames Bosun's pages), so no
    // X-Frame-Options. Pages replace this policy with theirs (pages-router's toPageCsp, same frame-ancestors).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: toFrameAncestors(deps.site).replace('frame-ancestors ', '').split(' ') },
    },
    xFrameOptions: false,
    // The OAuth window reports back to the iframe that opened it through window.opener.
    crossOriginOpenerPolicy: false,
    // Bitbucket's own pages load Bosun's icon and assets cross-origin.
    crossOriginResourcePolicy: false,
    // HSTS only where Bosun is served over https (production); a plain-http dev host must stay reachable.
    strictTransportSecurity: deps.descriptor.baseUrl.startsWith('https:') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  app.use((_req, res, next) => {
    applySecurityHeaders(res);
    next();
  });
  const logRequest = createRequestLogger(deps.logger);
  app.use(logRequest);
  const connectAuth = createHostAuthenticator({
    tenants: deps.tenants,
    baseUrl: deps.descriptor.baseUrl,
    sessionKey: deps.sessionKey,
    now: deps.now,
  });
  const forgeAuth = deps.forge
    ? createForgeHostAuthenticator({
        verify: deps.forge.verify,
        tenants: deps.tenants,
        appId: deps.forge.appId,
        tokens: deps.forge.tokens,
        users: createForgeUserResolver({ clients: deps.forge.clients, nowMs: () => deps.now().getTime() }),
      })
    : null;
  // Pages of both hosts call the same API: a FIT is a Forge page's session (host requests stay Connect's).
  const auth = forgeAuth ? createDualHostAuthenticator(connectAuth, forgeAuth) : connectAuth;
  const appDescriptor = toAppDescriptor(deps.descriptor);
  // First after the headers and the request line: the intake is the hottest route, and Express tries
  // every layer before it in turn (health, metrics, descriptor, lifecycle, Forge and CI routers).
  // One handler for the route and the fast path below (serveFirst).
  const deliverWebhook = createWebhookDeliveryHandler({ auth, intake: deps.automation.intake, parseEvent: parseWebhookData, logger: deps.logger, now: deps.now });
  addWebhookRoutes(app, appDescriptor.webhookPaths, deliverWebhook);

  app.get('/healthz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    try {
      await deps.checkHealth();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', error: { code: 'DATABASE_UNAVAILABLE', message: 'The database is not reachable' } });
    }
  });
  if (deps.metrics) app.use(createMetricsRouter({ source: deps.metrics }));
  app.get('/atlassian-connect.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(deps.descriptor);
  });
  app.get('/', (_req, res) => {
    res.type('text/plain').send(
      `${deps.descriptor.name}: ${deps.descriptor.description}\nInstall it from ${deps.descriptor.baseUrl}/atlassian-connect.json\n`,
    );
  });

  const lifecycleLimit = createSourceRateLimit({ limit: deps.lifecycleRatePerMinute, windowMs: 60_000, now: deps.now });
  app.post([deps.descriptor.lifecycle.installed, deps.descriptor.lifecycle.uninstalled], lifecycleLimit);
  app.use(
    createLifecycleRouter({
      descriptor: deps.descriptor,
      tenants: deps.tenants,
      lifecycle: deps.lifecycle,
      urlPolicy: { allowedHosts: deps.allowedHosts, production: deps.production },
      logger: deps.logger,
      now: deps.now,
      // A burst of lifecycle calls (anyone can sign a first install) is taken two at a time, so
      // webhooks are not starved meanwhile; past 256 waiting, a caller gets 503 + Retry-After.
      bulkhead: createBulkhead({ what: 'installations', concurrency: 2, maxWaiting: 256 }),
    }),
  );
  if (deps.forge && forgeAuth) {
    app.use(
      createForgeRemoteRouter({
        verify: deps.forge.verify,
        auth: forgeAuth,
        tenants: deps.tenants,
        lifecycle: deps.lifecycle,
        clients: deps.forge.clients,
        tokens: deps.forge.tokens,
        mergeCheck: deps.forge.mergeCheck,
        intake: deps.automation.intake,
        siteUrl: deps.site.siteUrl,
        logger: deps.logger,
        now: deps.now,
      }),
    );
  }
  if (deps.ciIntake) app.use(createCiIntakeRouter({ intake: deps.ciIntake }));
  const guards = createSessionGuards({ auth, tenants: deps.tenants, clients: deps.clients, now: deps.now, limits: deps.web });
  app.use(createPagesRouter({ auth, clientDir: deps.clientDir, admin: guards.admin, site: deps.site }));
  app.use(createOAuthRouter({ oauth: deps.oauth, secureCookies: deps.descriptor.baseUrl.startsWith('https:'), logger: deps.logger }));
  app.use(
    createApiRouter({
      auth,
      deliveries: deps.deliveries,
      liveViews: createLiveViews({ tenants: deps.tenants, clients: deps.clients, now: deps.now }),
      userClients: deps.userClients,
      vault: deps.vault,
      oauth: deps.oauth,
      oauthScopesToTick: USER_OAUTH_SCOPES,
      descriptor: appDescriptor,
      actions: deps.automation.executor,
      queue: deps.automation.queue,
      now: deps.now,
      admin: guards.admin,
      writes: guards.writes,
      views: deps.views,
      receive: deps.automation.receive,
      audit: createAuditLogViews(deps.automation.audit),
      ...(deps.userTokens ? { userTokens: deps.userTokens } : {}),
    }),
  );
  app.use(
    createAgentRouter({
      auth,
      askBosun: createAskBosun({ planner: deps.automation.planner, executor: deps.automation.executor, tools: deps.automation.tools }),
      queue: deps.automation.queue,
      audit: createAuditLogViews(deps.automation.audit),
      admin: guards.admin,
      writes: guards.writes,
      pendingMerges: createPendingMergeViews({ autoMerges: deps.automation.autoMerges, names: deps.automation.names }),
      receive: deps.automation.receive,
      ...(deps.userTokens ? { userTokens: deps.userTokens } : {}),
    }),
  );
  if (deps.mergeQueueViews) app.use(createMergeQueueRouter({ auth, admin: guards.admin, writes: guards.writes, mergeQueueViews: deps.mergeQueueViews }));
  if (deps.policyViews) app.use(createPolicyRouter({ auth, admin: guards.admin, writes: guards.writes, policyViews: deps.policyViews }));
  if (deps.templateViews) app.use(createTemplateRouter({ auth, admin: guards.admin, writes: guards.writes, templateViews: deps.templateViews }));
  if (deps.workspaceOverview) app.use(createWorkspaceRouter({ auth, admin: guards.admin, writes: guards.writes, workspaceOverview: deps.workspaceOverview }));
  if (deps.ciViews) app.use(createCiIntegrationsRouter({ auth, admin: guards.admin, writes: guards.writes, ciViews: deps.ciViews }));
  app.use(createApiNotFound());
  app.use((req, _res, next) => next(new NotFoundError(`Nothing here: ${req.method} ${req.path}`)));
  const errorClassifiers = [toDatabaseBusyError];
  app.use(createErrorHandler(deps.logger, errorClassifiers));
  // The same webhook routes, answered before Express's per-request work when Express would read them the
  // same way (web/webhook-fast-path.ts); any other request, and those it leaves, go through the app above.
  serveFirst(
    app,
    createWebhookFastPath({
      paths: appDescriptor.webhookPaths,
      deliver: deliverWebhook,
      limitBytes: WEBHOOK_BODY_LIMIT_BYTES,
      applySecurityHeaders,
      logRequest,
      sendError: (err, req, res) => sendHttpError(err, req, res, deps.logger, errorClassifiers),
    }),
  );
  return app;
}
