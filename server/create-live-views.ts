import { HostAuthError, type InstallationClientFactory, type Tenant, type TenantStore } from './host';
import { countApprovals, summarizeBuilds, toBuildStatusViews, toPullRequestSummary, toReviewerViews } from './to-views';
import type { DashboardPullRequestView, PullRequestPanelView, RepoDashboardView } from './web/api/contracts';
import { RequestValidationError } from './web/request-validation-error';
import type { LiveViews } from './web/api/workspace-views';

export interface LiveViewsDeps {
  tenants: TenantStore;
  clients: InstallationClientFactory;
  now: () => Date;
}

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

/**
 * The PR panel and repository dashboard read from Bitbucket live, for an app without the workspace
 * mirror (create-workspace-views.ts serves them from the mirror otherwise). Wired here, outside
 * web/, which knows only the views' port.
 */
export function createLiveViews(deps: LiveViewsDeps): LiveViews {
  return {
    async loadPanel(tenant, { repoUuid, prId }): Promise<PullRequestPanelView> {
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
    },

    async loadDashboard(tenant, { repoUuid }): Promise<RepoDashboardView> {
      const client = deps.clients.forTenant(await loadTenantWithSecret(deps.tenants, tenant));
      const ws = workspaceOf(tenant);
      const [repo, prs] = await Promise.all([
        client.repositories.get(ws, repoUuid),
        client.pullRequests.list(ws, repoUuid, { state: ['OPEN'], max: 200, withParticipants: true }),
      ]);
      // The client's per-tenant concurrency limit paces these.
      const pullRequests: DashboardPullRequestView[] = await Promise.all(
        prs.map(async (pr) => {
          const statuses = await client.pullRequests.listStatuses(ws, repoUuid, pr.id);
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
    },
  };
}
