import type { InstallationClientFactory, Tenant, TenantStore } from './host';
import type { Logger } from './log';
import type { DeliveryIntake } from './jobs';
import { applyWebhookEvent, createBitbucketMirrorSource, createMirrorSync, loadPrPanelView, loadRepoDashboardView, type MirrorSource, type MirrorStore, type MirrorSync } from './mirror';
import { countApprovals, summarizeBuilds, toBuildStatusViews, toPullRequestSummary, toReviewerViews } from './web/api/to-views';
import type { WorkspaceViews } from './web/api/workspace-views';
import { HostAuthError } from './host';

export interface WorkspaceMirrorServices {
  store: MirrorStore;
  sync: MirrorSync;
  views: WorkspaceViews;
  /** The webhook intake with the mirror's projection in its path (after the delivery is stored). */
  withProjection(intake: DeliveryIntake): DeliveryIntake;
}

/** Wires server/mirror/ to the API's views and the webhook intake (composition root: imports every side). */
export function createWorkspaceMirrorServices(deps: {
  store: MirrorStore;
  tenants: TenantStore;
  clients: InstallationClientFactory;
  now: () => Date;
  logger: Logger;
}): WorkspaceMirrorServices {
  const { store, now } = deps;
  const sync = createMirrorSync({ store, now });

  const liveSource = async (tenant: Tenant): Promise<MirrorSource> => {
    const full = await deps.tenants.getWithSecret(tenant.clientKey);
    if (!full) throw new HostAuthError('SESSION_INVALID', 'Bosun is no longer installed in this workspace');
    const workspace = tenant.workspaceUuid ?? tenant.workspaceSlug ?? '';
    return createBitbucketMirrorSource(deps.clients.forTenant(full), workspace);
  };

  const views: WorkspaceViews = {
    async loadPanel(tenant, query) {
      const source = await liveSource(tenant);
      const data = await loadPrPanelView({ store, now, live: () => source }, { clientKey: tenant.clientKey, repositoryUuid: query.repoUuid, pullRequestId: query.prId, fresh: query.fresh });
      return {
        pullRequest: toPullRequestSummary(data.pullRequest),
        reviewers: toReviewerViews(data.pullRequest),
        statuses: toBuildStatusViews(data.statuses),
        buildState: summarizeBuilds(data.statuses),
        approvals: countApprovals(data.pullRequest),
        freshness: data.freshness,
      };
    },
    async loadDashboard(tenant, query) {
      const source = await liveSource(tenant);
      const data = await loadRepoDashboardView({ store, sync, now, live: () => source }, { clientKey: tenant.clientKey, repositoryUuid: query.repoUuid });
      const repo = data.repository;
      return {
        repository: { uuid: repo.uuid, fullName: repo.full_name, name: repo.name, url: repo.links?.html?.href ?? null },
        pullRequests: data.pullRequests.map(({ pullRequest, statuses }) => ({
          ...toPullRequestSummary(pullRequest),
          buildState: summarizeBuilds(statuses),
          approvals: countApprovals(pullRequest),
          reviewerCount: toReviewerViews(pullRequest).filter((r) => r.role === 'REVIEWER').length,
        })),
        freshness: data.freshness,
      };
    },
  };

  return {
    store,
    sync,
    views,
    withProjection(intake) {
      return {
        async accept(input) {
          const answer = await intake.accept(input);
          // Stored and acknowledged first: a projection that fails loses nothing, the sweep repairs the mirror.
          try {
            await applyWebhookEvent(store, { clientKey: input.clientKey, event: input.eventKey, data: input.payload, at: now() });
          } catch (err) {
            deps.logger.warn('Mirror projection of a webhook failed; the sweep will repair it', {
              tenant: input.clientKey, deliveryId: input.requestUuid, event: input.eventKey, error: err instanceof Error ? err.name : 'unknown',
            });
          }
          return answer;
        },
        close: () => intake.close(),
      };
    },
  };
}
