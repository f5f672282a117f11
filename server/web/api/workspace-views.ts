import type { Tenant } from '../../host';
import type { MirrorStatusView, PullRequestPanelView, RepoDashboardView } from './contracts';

/**
 * Views answered from the workspace mirror (server/create-workspace-views.ts wires server/mirror/ to it):
 * no Bitbucket call when the mirror is warm, a live read only for what it does not know yet, or when the
 * viewer asks for `fresh` after a change of their own.
 */
export interface WorkspaceViews {
  loadPanel(tenant: Tenant, query: { repoUuid: string; prId: number; fresh: boolean }): Promise<PullRequestPanelView>;
  loadDashboard(tenant: Tenant, query: { repoUuid: string }): Promise<RepoDashboardView>;
  /** The tenant's rate budget per credential and the mirror's sync progress, for admin settings. */
  loadMirrorStatus(tenant: Tenant): Promise<MirrorStatusView>;
}

/** The panel and dashboard alone, as an app without the mirror reads them live (server/create-live-views.ts). */
export type LiveViews = Pick<WorkspaceViews, 'loadPanel' | 'loadDashboard'>;
