import type { Tenant } from '../../host';
import type { AggregateBuildState } from './contracts';

/** One repository's row on the workspace page. */
export interface WorkspaceRepositoryRowView {
  uuid: string;
  fullName: string;
  name: string;
  url: string | null;
  openPullRequests: number;
  /** Open, not draft, every build on the head commit passed (as far as the mirror knows). */
  readyToMerge: number;
  /** Open pull requests whose head commit has a failed or stopped build. */
  failingBuilds: number;
  /** Open pull requests not updated for `staleAfterDays`. */
  stalePullRequests: number;
  /** Pull requests waiting or batched in the repository's merge queues. */
  queueLength: number;
  /** The template the repository follows, if any. */
  template: string | null;
  /** `none`: follows no template. */
  drift: 'none' | 'in-sync' | 'drifted' | 'partial';
  /** What differs from the template, one line each. */
  driftDetails: string[];
  /** The worst build state over its open pull requests. */
  buildState: AggregateBuildState;
}

/** GET /api/workspace: every repository the mirror holds, with totals. */
export interface WorkspaceOverviewView {
  repositories: WorkspaceRepositoryRowView[];
  totals: { repositories: number; openPullRequests: number; readyToMerge: number; failingBuilds: number; stalePullRequests: number; queueLength: number; drifted: number };
  staleAfterDays: number;
  /** Always the mirror: the page never reads Bitbucket. `complete` is false while the initial sync runs. */
  freshness: { source: 'mirror'; asOf: string; complete: boolean };
}

/** The workspace page's view, implemented at the composition root over the mirror and the template bindings. */
export interface WorkspaceOverviewViews {
  load(tenant: Tenant): Promise<WorkspaceOverviewView>;
}
