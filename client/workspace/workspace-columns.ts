import type { WorkspaceRepositoryRowView } from '../../server/web/api/workspace-overview-views';

/** The workspace table's columns, in display order; each key is also DynamicTable's sort key. */
export const WORKSPACE_COLUMNS = [
  { key: 'repository', label: 'Repository', width: 26 },
  { key: 'open', label: 'Open PRs', width: 9 },
  { key: 'ready', label: 'Ready to merge', width: 10 },
  { key: 'failing', label: 'Failing builds', width: 10 },
  { key: 'stale', label: 'Stale', width: 8 },
  { key: 'queue', label: 'Queue', width: 8 },
  { key: 'drift', label: 'Template', width: 21 },
] as const;

export type WorkspaceColumnKey = (typeof WORKSPACE_COLUMNS)[number]['key'];

/** What the filter menu offers: every repository, or the ones that need attention for one reason. */
export const WORKSPACE_FILTERS = [
  { value: 'all', label: 'All repositories' },
  { value: 'drifted', label: 'Differ from their template' },
  { value: 'failing', label: 'With failing builds' },
  { value: 'ready', label: 'With PRs ready to merge' },
  { value: 'stale', label: 'With stale PRs' },
  { value: 'no-template', label: 'Following no template' },
] as const;
export type WorkspaceFilter = (typeof WORKSPACE_FILTERS)[number]['value'];

/** Ascending drift order puts what needs attention first. */
const DRIFT_ORDER: Record<WorkspaceRepositoryRowView['drift'], number> = { partial: 0, drifted: 1, 'in-sync': 2, none: 3 };

export const toWorkspaceSortKeys = (r: WorkspaceRepositoryRowView): Record<WorkspaceColumnKey, string | number> => ({
  repository: r.fullName.toLocaleLowerCase(),
  open: r.openPullRequests,
  ready: r.readyToMerge,
  failing: r.failingBuilds,
  stale: r.stalePullRequests,
  queue: r.queueLength,
  drift: DRIFT_ORDER[r.drift],
});

/** The repositories a filter and a search text keep (the text matches the full name, case aside). */
export const filterRepositories = (rows: readonly WorkspaceRepositoryRowView[], filter: WorkspaceFilter, text: string): WorkspaceRepositoryRowView[] => {
  const needle = text.trim().toLocaleLowerCase();
  return rows.filter((r) => {
    if (needle && !r.fullName.toLocaleLowerCase().includes(needle)) return false;
    switch (filter) {
      case 'all':
        return true;
      case 'drifted':
        return r.drift === 'drifted' || r.drift === 'partial';
      case 'failing':
        return r.failingBuilds > 0;
      case 'ready':
        return r.readyToMerge > 0;
      case 'stale':
        return r.stalePullRequests > 0;
      case 'no-template':
        return r.template === null;
    }
  });
};

/** The slug of `workspace/slug` (the template API takes slugs of the tenant's own workspace). */
export const toSlug = (fullName: string): string => fullName.slice(fullName.indexOf('/') + 1);

export const ROWS_PER_PAGE = 25;
/** DynamicTable's testId: rows are `<id>--row-<key>`. */
export const REPOSITORIES_TABLE_TEST_ID = 'workspace-repositories';
