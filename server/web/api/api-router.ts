import express, { type Router } from 'express';
import { z } from 'zod';
import { USER_OAUTH_SCOPES, type OAuthFlow, type TokenVault, type UserClientFactory } from '../../auth';
import type { AuditStore } from '../../agent';
import { enqueueAgentExecution, type AgentExecuteJob, type JobQueue } from '../../jobs';
import { HostAuthError, type AppDescriptor, type HostAuthenticator, type InstallationClientFactory, type PageName, type Tenant, type TenantStore } from '../../host';
import type { WebhookDeliveryStore } from '../../storage';
import { NotFoundError, RequestValidationError } from '../request-validation-error';
import type {
  AdminSettingsView,
  AgentExecuteAccepted,
  ConnectionView,
  DashboardPullRequestView,
  DisconnectView,
  OAuthStartView,
  PersonalSettingsView,
  PullRequestPanelView,
  RepoDashboardView,
} from './contracts';
import { createSessionRoutes, HttpAnswer, parseBody, parseQuery, requireViewerUuid, uuidParam, type SessionGuards, type SessionHandler } from './session-routes';
import { storableText } from './storable-text';
import type { WorkspaceViews } from './workspace-views';
import { countApprovals, summarizeBuilds, toBuildStatusViews, toPullRequestSummary, toReviewerViews } from './to-views';

export interface ApiDeps {
  auth: HostAuthenticator;
  tenants: TenantStore;
  deliveries: WebhookDeliveryStore;
  clients: InstallationClientFactory;
  userClients: UserClientFactory;
  vault: TokenVault;
  oauth: OAuthFlow;
  descriptor: AppDescriptor;
  audit: AuditStore;
  queue: JobQueue;
  now: () => Date;
  admin: SessionGuards['admin'];
  writes: SessionGuards['writes'];
  /** Views from the workspace mirror; without it every view reads Bitbucket live. */
  views?: WorkspaceViews;
}

const prPanelQuery = z.object({ repoUuid: uuidParam, prId: z.coerce.number().int().positive(), fresh: z.enum(['1']).optional() });
const dashboardQuery = z.object({ repoUuid: uuidParam });
const prActionBody = z.object({ repoUuid: uuidParam, prId: z.number().int().positive(), idempotencyKey: storableText({ min: 8, max: 128 }) });


/** Bitbucket's App authorizations page, where a person revokes Bosun there too. */
const revokeUrlFor = (tenant: Tenant) => `${tenant.baseUrl}/account/settings/app-authorizations/`;


async function loadTenantWithSecret(tenants: TenantStore, tenant: Tenant) {
  const full = await tenants.getWithSecret(tenant.clientKey);
  if (!full) throw new HostAuthError('SESSION_INVALID', 'Bosun is no longer installed in this workspace');
  return full;
}

/** Always the tenant's own workspace: a repo uuid from another workspace is simply not found. */
function workspaceOf(tenant: Tenant): string {
  const ws = tenant.workspaceUuid ?? tenant.workspaceSlug;
  if (!ws) throw new RequestValidationError('This installation has no workspace; reinstall Bosun');
  return ws;
}

export function createApiRouter(deps: ApiDeps): Router {
  const router = express.Router();
  const handle = createSessionRoutes(router, deps);
  const route = (path: string, pages: PageName[], handler: SessionHandler) => handle('get', path, pages, handler);

  const loadPanel = async (tenant: Tenant, repoUuid: string, prId: number, fresh = false): Promise<PullRequestPanelView> => {
    if (deps.views) return deps.views.loadPanel(tenant, { repoUuid, prId, fresh });
    const client = deps.clients.forTenant(await loadTenantWithSecret(deps.tenants, tenant));
    const ws = workspaceOf(tenant);
    const [pr, statuses] = await Promise.all([client.pullRequests.get(ws, repoUuid, prId), client.pullRequests.listStatuses(ws, repoUuid, prId)]);
    return {
      pullRequest: toPullRequestSummary(pr),
      reviewers: toReviewerViews(pr),
      statuses: toBuildStatusViews(statuses),
      buildState: summarizeBuilds(statuses),
      approvals: countApprovals(pr),
      freshness: { source: 'live', asOf: deps.now().toISOString(), complete: true },
    };
  };

  route('/api/pr-panel', ['pr-panel'], async ({ tenant, req }): Promise<PullRequestPanelView> => {
    const q = parseQuery(prPanelQuery, req);
    return loadPanel(tenant, q.repoUuid, q.prId, q.fresh === '1');
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
      const accepted: AgentExecuteAccepted = await enqueueAgentExecution(deps.queue, tenant.clientKey, payload);
      return new HttpAnswer(202, accepted);
    });
  }

  handle('post', '/api/oauth/start', ['personal-settings', 'pr-panel'], async ({ tenant, viewer }): Promise<OAuthStartView> => {
    const userUuid = requireViewerUuid(viewer);
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
    await deps.audit.record({
      clientKey: tenant.clientKey,
      idempotencyKey: `disconnect:${userUuid}:${startedAt.getTime()}`,
      actor: { kind: 'user', userUuid, accountId: viewer.accountId },
      trigger: { kind: 'panel', ref: viewer.page },
      source: 'button',
      planSummary: 'Disconnect my Bitbucket account',
      repositories: [],
      tools: ['account.disconnect'],
      steps: [],
      outcome: 'succeeded',
      message: 'Bosun deleted this person\'s Bitbucket tokens.',
      startedAt,
      durationMs: deps.now().getTime() - startedAt.getTime(),
    });
    return { disconnected, revokeUrl: revokeUrlFor(tenant) };
  });

  route('/api/repo-dashboard', ['repo-dashboard'], async ({ tenant, req }): Promise<RepoDashboardView> => {
    const q = parseQuery(dashboardQuery, req);
    if (deps.views) return deps.views.loadDashboard(tenant, { repoUuid: q.repoUuid });
    const client = deps.clients.forTenant(await loadTenantWithSecret(deps.tenants, tenant));
    const ws = workspaceOf(tenant);
    const [repo, prs] = await Promise.all([
      client.repositories.get(ws, q.repoUuid),
      client.pullRequests.list(ws, q.repoUuid, { state: ['OPEN'], max: 200, withParticipants: true }),
    ]);
    // The client's per-tenant concurrency limit paces these.
    const pullRequests: DashboardPullRequestView[] = await Promise.all(
      prs.map(async (pr) => {
        const statuses = await client.pullRequests.listStatuses(ws, q.repoUuid, pr.id);
        return {
          ...toPullRequestSummary(pr),
          buildState: summarizeBuilds(statuses),
          approvals: countApprovals(pr),
          reviewerCount: toReviewerViews(pr).filter((r) => r.role === 'REVIEWER').length,
        };
      }),
    );
    return {
      repository: { uuid: repo.uuid, fullName: repo.full_name, name: repo.name, url: repo.links?.html?.href ?? null },
      pullRequests,
      freshness: { source: 'live', asOf: deps.now().toISOString(), complete: true },
    };
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
      oauth: { configured: deps.oauth.isConfigured(), callbackUrl: deps.oauth.callbackUrl, scopesToTick: [...USER_OAUTH_SCOPES] },
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
