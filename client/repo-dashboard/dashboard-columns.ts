import type { AggregateBuildState, DashboardPullRequestView } from '../../server/web/api/contracts';
import { toEpochMillis } from '../components/format-date';

/** The dashboard's columns, in display order; each key is also DynamicTable's sort key. */
export const DASHBOARD_COLUMNS = [
  { key: 'id', label: 'ID', width: 6 },
  { key: 'title', label: 'Title', width: 40 },
  { key: 'author', label: 'Author', width: 18 },
  { key: 'build', label: 'Build', width: 12 },
  { key: 'approvals', label: 'Approvals', width: 10 },
  { key: 'updated', label: 'Updated', width: 14 },
] as const;

export type DashboardColumnKey = (typeof DASHBOARD_COLUMNS)[number]['key'];
export type DashboardSortKeys = Record<DashboardColumnKey, string | number>;

/** Ascending build order puts what needs attention first: failed, stopped, running, none, passed. */
const BUILD_SORT_ORDER: Record<AggregateBuildState, number> = {
  FAILED: 0,
  STOPPED: 1,
  INPROGRESS: 2,
  NONE: 3,
  SUCCESSFUL: 4,
};

/**
 * The value DynamicTable compares for each column of a pull request row. Numbers sort
 * numerically; strings with a numeric, case-insensitive collator.
 */
export const toDashboardSortKeys = (pr: DashboardPullRequestView): DashboardSortKeys => ({
  id: pr.id,
  title: pr.title.toLocaleLowerCase(),
  author: (pr.author?.displayName ?? '').toLocaleLowerCase(),
  build: BUILD_SORT_ORDER[pr.buildState] ?? BUILD_SORT_ORDER.NONE,
  approvals: pr.approvals,
  updated: toEpochMillis(pr.updatedOn),
});

export interface DashboardRowModel {
  /** Unique per row; DynamicTable renders it into the row's test id: `<testId>--row-<key>`. */
  key: string;
  pr: DashboardPullRequestView;
  sortKeys: DashboardSortKeys;
}

/** One row model per pull request, in the order the API gave them. */
export const toDashboardRowModels = (prs: readonly DashboardPullRequestView[]): DashboardRowModel[] =>
  prs.map((pr) => ({ key: `pr-${pr.id}`, pr, sortKeys: toDashboardSortKeys(pr) }));

export const DEFAULT_SORT_KEY: DashboardColumnKey = 'updated';
export const DEFAULT_SORT_ORDER = 'DESC' as const;
export const ROWS_PER_PAGE = 10;

/**
 * DynamicTable's testId. It derives: `<id>--table`, `<id>--head`, `<id>--head--cell` (every
 * header cell), `<id>--body`, `<id>--row-pr-<prId>`, `<id>--cell-<columnIndex>`, `<id>--pagination`.
 */
export const PULL_REQUESTS_TABLE_TEST_ID = 'pull-requests';
