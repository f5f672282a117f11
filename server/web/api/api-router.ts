import express, { type Router } from 'express';
import { z } from 'zod';
import type { AgentExecuteJob, JobQueue } from '../../jobs';
import type { AppDescriptor, HostAuthenticator, PageName, Tenant } from '../../host';
import type { WebhookDeliveryStore } from '../../storage';
import { NotFoundError, RequestValidationError } from '../request-validation-error';
import type { ActionRecorder, OAuthStart, PersonalConnections, UserConnectionCheck } from './account-ports';
import type {
  AdminSettingsView,
  AgentExecuteAccepted,
  ConnectionView,
  DisconnectView,
  OAuthStartView,
  PersonalSettingsView,
  PullRequestPanelView,
  RepoDashboardView,
} from './contracts';
import { createSessionRoutes, HttpAnswer, parseBody, parseQuery, requireViewerUuid, uuidParam, type SessionGuards, type SessionHandler } from './session-routes';
import { startAgentExecution, type AgentExecutionDeps } from './start-agent-execution';
import { storableText } from './storable-text';
import type { LiveViews, WorkspaceViews } from './workspace-views';

export interface ApiDeps {
  auth: HostAuthenticator;
  deliveries: WebhookDeliveryStore;
  userClients: UserConnectionCheck;
  vault: PersonalConnections;
  oauth: OAuthStart;
  /** The scopes an admin ticks when registering Bosun's OAuth consumer (auth's USER_OAUTH_SCOPES). */
  oauthScopesToTick: readonly string[];
  descriptor: AppDescriptor;
  /** The executor: records a disconnect in the audit log (only the executor writes it). */
  actions: ActionRecorder;
  queue: JobQueue;
  now: () => Date;
  admin: SessionGuards['admin'];
  writes: SessionGuards['writes'];
  /** Views from the workspace mirror; without it every view reads Bitbucket live. */
  views?: WorkspaceViews;
  /** The panel and dashboard read from Bitbucket live, for an app without the mirror. */
  liveViews: LiveViews;
  /** Runs a Forge viewer's approve in their request, while Forge's token for them is at hand. */
  receive?: AgentExecutionDeps['receive'];
  audit?: AgentExecutionDeps['audit'];
  /** Holds that token for the request (without it Forge viewers cannot act as themselves). */
  userTokens?: SessionGuards['userTokens'];
}

const prPanelQuery = z.object({ repoUuid: uuidParam, prId: z.coerce.number().int().positive(), fresh: z.enum(['1']).optional() });
const dashboardQuery = z.object({ repoUuid: uuidParam });
const prActionBody = z.object({ repoUuid: uuidParam, prId: z.number().int().positive(), idempotencyKey: storableText({ min: 8, max: 128 }) });


/** Bitbucket's App authorizations page, where a person revokes Bosun there too. */
const revokeUrlFor = (tenant: Tenant) => `${tenant.baseUrl}/account/settings/app-authorizations/`;


export function createApiRouter(deps: ApiDeps): Router {
  const router = express.Router();
  const handle = createSessionRoutes(router, deps);
  const route = (path: string, pages: PageName[], handler: SessionHandler) => handle('get', path, pages, handler);

  /** From the workspace mirror when there is one, else read live (server/create-live-views.ts). */
  const views = deps.views ?? deps.liveViews;

  route('/api/pr-panel', ['pr-panel'], async ({ tenant, req }): Promise<PullRequestPanelView> => {
    const q = parseQuery(prPanelQuery, req);
    return views.loadPanel(tenant, { repoUuid: q.repoUuid, prId: q.prId, fresh: q.fresh === '1' });
  });

  // Approving is personal: it runs as the viewer (their own OAuth token), through the same job and
  // executor as every other action. Their connection is checked first (no Bitbucket call) so the
  // panel can show a Connect prompt instead of a failed job.
  for (const action of ['approve', 'unapprove'] as const) {
    handle('post', `/api/pr-panel/${action}`, ['pr-panel'], async ({ tenant, viewer, req }) => {
      const body = parseBody(prActionBody, req);
      const userUuid = requireViewerUuid(viewer);
      await deps.userClients.forUser(tenant, userUuid, ['pullrequest:write']);
      const payload: AgentExecuteJob = {
        plan: {
          summary: `${action === 'approve' ? 'Approve' : 'Withdraw my approval of'} #${body.prId}`,
          source: 'button',
          steps: [{ tool: `pullRequest.${action}`, input: { repo: body.repoUuid, pullRequestId: body.prId } }],
        },
        actor: { userUuid, accountId: viewer.accountId },
        idempotencyKey: `button:${userUuid}:${body.idempotencyKey}`,
        confirmed: true,
        trigger: { kind: 'button', ref: `${action}:${body.repoUuid}#${body.prId}` },
      };
      const accepted: AgentExecuteAccepted = await startAgentExecution(deps, tenant, payload, { actsAsUser: true });
      return new HttpAnswer(202, accepted);
    });
  }

  handle('post', '/api/oauth/start', ['personal-settings', 'pr-panel'], async ({ tenant, viewer }): Promise<OAuthStartView> => {
    const userUuid = requireViewerUuid(viewer);
    if (tenant.host === 'forge') {
      throw new RequestValidationError('On Forge there is nothing to connect: Bitbucket sends Bosun your token with each action you start, and Bosun acts as you with it for that action only');
    }
    if (!deps.oauth.isConfigured()) {
      throw new RequestValidationError('No Bitbucket OAuth consumer is configured; ask a workspace admin to set one up (see Bosun admin settings)');
    }
    const ticket = deps.oauth.createStartTicket({ clientKey: tenant.clientKey, userUuid });
    return { url: `${deps.descriptor.baseUrl}/oauth/start?ticket=${encodeURIComponent(ticket)}` };
  });

  handle('delete', '/api/oauth/connection', ['personal-settings'], async ({ tenant, viewer }): Promise<DisconnectView> => {
    const userUuid = requireViewerUuid(viewer);
    const startedAt = deps.now();
    const disconnected = await deps.vault.disconnect(tenant.clientKey, userUuid);
    // The audit log records what happened: a disconnect that deleted nothing changed nothing.
    if (!disconnected) return { disconnected, revokeUrl: revokeUrlFor(tenant) };
    await deps.actions.recordAction(
      {
        idempotencyKey: `disconnect:${userUuid}:${startedAt.getTime()}`,
        trigger: { kind: 'panel', ref: viewer.page },
        source: 'button',
        summary: 'Disconnect my Bitbucket account',
        action: 'account.disconnect',
        message: 'Bosun deleted this person\'s Bitbucket tokens.',
        startedAt,
      },
      { tenant: { clientKey: tenant.clientKey, workspace: tenant.workspaceSlug ?? tenant.workspaceUuid ?? '' }, actor: { kind: 'user', userUuid, accountId: viewer.accountId } },
    );
    return { disconnected, revokeUrl: revokeUrlFor(tenant) };
  });

  route('/api/repo-dashboard', ['repo-dashboard'], async ({ tenant, req }): Promise<RepoDashboardView> => {
    const q = parseQuery(dashboardQuery, req);
    return views.loadDashboard(tenant, { repoUuid: q.repoUuid });
  });

  route('/api/admin-settings', ['admin-settings'], async ({ tenant }): Promise<AdminSettingsView> => {
    const recent = await deps.deliveries.listRecent(tenant.clientKey, 20);
    return {
      tenant: {
        workspaceSlug: tenant.workspaceSlug,
        workspaceName: tenant.workspaceName,
        workspaceUuid: tenant.workspaceUuid,
        baseUrl: tenant.baseUrl,
        installedAt: tenant.installedAt.toISOString(),
        installedBy: tenant.installedByAccountId ?? tenant.installedByUuid,
      },
      descriptorUrl: deps.descriptor.descriptorUrl,
      webhookEvents: deps.descriptor.webhookEvents,
      scopes: deps.descriptor.scopes,
      recentDeliveries: recent.map((d) => ({
        requestUuid: d.requestUuid,
        eventKey: d.eventKey,
        attempt: d.attempt,
        receivedAt: d.receivedAt.toISOString(),
      })),
      oauth: { configured: deps.oauth.isConfigured(), callbackUrl: deps.oauth.callbackUrl, scopesToTick: [...deps.oauthScopesToTick] },
      ...(deps.views ? { mirror: await deps.views.loadMirrorStatus(tenant) } : {}),
    };
  });

  route('/api/personal-settings', ['personal-settings'], async ({ tenant, viewer }): Promise<PersonalSettingsView> => {
    const info = viewer.userUuid ? await deps.vault.getConnection(tenant.clientKey, viewer.userUuid) : null;
    const connection: ConnectionView = info
      ? {
          status: info.status,
          displayName: info.profile.displayName,
          nickname: info.profile.nickname,
          avatarUrl: info.profile.avatarUrl,
          email: info.profile.email,
          scopes: info.scopes,
          connectedAt: info.connectedAt.toISOString(),
        }
      : { status: 'not_connected', displayName: null, nickname: null, avatarUrl: null, email: null, scopes: [], connectedAt: null };
    return {
      viewer: { uuid: viewer.userUuid, accountId: viewer.accountId },
      workspaceSlug: tenant.workspaceSlug,
      actsAsYouWith: tenant.host === 'forge' ? 'forge-user-token' : 'oauth',
      oauthConfigured: deps.oauth.isConfigured(),
      connection,
      revokeUrl: revokeUrlFor(tenant),
    };
  });

  return router;
}

/** Unknown /api paths answer 404 in JSON; mounted after every API router. */
export function createApiNotFound(): Router {
  const router = express.Router();
  router.use('/api', (req, _res, next) => next(new NotFoundError(`Unknown API route ${req.method} /api${req.path}`)));
  return router;
}
