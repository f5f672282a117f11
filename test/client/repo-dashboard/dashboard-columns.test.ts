import { describe, expect, it } from 'vitest';
import {
  DASHBOARD_COLUMNS,
  DEFAULT_SORT_KEY,
  toDashboardRowModels,
  toDashboardSortKeys,
  type DashboardColumnKey,
  type DashboardRowModel,
} from '../../../client/repo-dashboard/dashboard-columns';
import { createDashboardPullRequest, createUser } from '../client-fixtures';

/** DynamicTable's comparison (with-sorted-page-rows.js), reduced to what our keys need. */
const sortLikeDynamicTable = (
  rows: DashboardRowModel[],
  key: DashboardColumnKey,
  order: 'ASC' | 'DESC',
): number[] => {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'accent' });
  const modifier = order === 'ASC' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const valueA = a.sortKeys[key];
      const valueB = b.sortKeys[key];
      if (typeof valueA === 'string' && typeof valueB === 'string') return modifier * collator.compare(valueA, valueB);
      return valueA < valueB ? -modifier : valueA > valueB ? modifier : 0;
    })
    .map((row) => row.pr.id);
};

const prs = [
  createDashboardPullRequest({
    id: 9,
    title: 'b: second',
    author: createUser({ displayName: 'zed' }),
    buildState: 'SUCCESSFUL',
    approvals: 2,
    updatedOn: '2026-03-05T00:00:00.000Z',
  }),
  createDashboardPullRequest({
    id: 10,
    title: 'A: first',
    author: null,
    buildState: 'FAILED',
    approvals: 0,
    updatedOn: '2026-03-07T00:00:00.000Z',
  }),
  createDashboardPullRequest({
    id: 2,
    title: 'c: third',
    author: createUser({ displayName: 'Amy' }),
    buildState: 'INPROGRESS',
    approvals: 1,
    updatedOn: '2026-03-01T00:00:00.000Z',
  }),
];

describe('DASHBOARD_COLUMNS', () => {
  it('has the six columns in order with unique keys, and the default sort key among them', () => {
    expect(DASHBOARD_COLUMNS.map((column) => column.label)).toEqual([
      'ID',
      'Title',
      'Author',
      'Build',
      'Approvals',
      'Updated',
    ]);
    const keys = DASHBOARD_COLUMNS.map((column) => column.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain(DEFAULT_SORT_KEY);
  });
});

describe('toDashboardSortKeys', () => {
  it('gives numbers for id, build, approvals and updated, strings for title and author', () => {
    const keys = toDashboardSortKeys(prs[0]!);
    expect(keys).toEqual({
      id: 9,
      title: 'b: second',
      author: 'zed',
      build: 4,
      approvals: 2,
      updated: Date.parse('2026-03-05T00:00:00.000Z'),
    });
  });

  it('sorts a missing author as an empty name', () => {
    expect(toDashboardSortKeys(prs[1]!).author).toBe('');
  });
});

describe('toDashboardRowModels', () => {
  it('keys each row by PR id, keeping the API order', () => {
    expect(toDashboardRowModels(prs).map((row) => row.key)).toEqual(['pr-9', 'pr-10', 'pr-2']);
  });

  it('sorts the way a person expects under DynamicTable', () => {
    const rows = toDashboardRowModels(prs);
    expect(sortLikeDynamicTable(rows, 'id', 'ASC')).toEqual([2, 9, 10]);
    expect(sortLikeDynamicTable(rows, 'title', 'ASC')).toEqual([10, 9, 2]);
    expect(sortLikeDynamicTable(rows, 'author', 'ASC')).toEqual([10, 2, 9]);
    expect(sortLikeDynamicTable(rows, 'build', 'ASC')).toEqual([10, 2, 9]);
    expect(sortLikeDynamicTable(rows, 'approvals', 'DESC')).toEqual([9, 2, 10]);
    expect(sortLikeDynamicTable(rows, 'updated', 'DESC')).toEqual([10, 9, 2]);
  });
});
