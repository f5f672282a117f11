import DynamicTable from '@atlaskit/dynamic-table';
import EmptyState from '@atlaskit/empty-state/empty-state';
import Lozenge from '@atlaskit/lozenge/lozenge';
import { useMemo, type ReactNode } from 'react';
import type { DashboardPullRequestView, RepoDashboardView } from '../../server/web/api/contracts';
import { BuildStatusLozenge } from '../components/BuildStatusLozenge';
import { FreshnessNote } from '../components/FreshnessNote';
import { toDateTime, toRelativeTime } from '../components/format-date';
import { PageShell } from '../components/PageShell';
import { UserAvatar } from '../components/UserAvatar';
import {
  DASHBOARD_COLUMNS,
  DEFAULT_SORT_KEY,
  DEFAULT_SORT_ORDER,
  PULL_REQUESTS_TABLE_TEST_ID,
  ROWS_PER_PAGE,
  toDashboardRowModels,
  type DashboardColumnKey,
} from './dashboard-columns';

export interface RepoDashboardProps {
  view: RepoDashboardView;
}

const head = {
  cells: DASHBOARD_COLUMNS.map((column) => ({
    key: column.key,
    content: column.label,
    isSortable: true,
    width: column.width,
  })),
};

const TitleCell = ({ pr }: { pr: DashboardPullRequestView }) => (
  <div className="bosun-table-title">
    <span className="bosun-inline">
      {pr.url ? (
        <a className="bosun-link" href={pr.url} target="_top" data-testid="pr-title-link">
          {pr.title}
        </a>
      ) : (
        <span>{pr.title}</span>
      )}
      {pr.draft ? <Lozenge appearance="default">Draft</Lozenge> : null}
    </span>
    <span className="bosun-subtlest">
      <span className="bosun-mono">{pr.sourceBranch}</span> → <span className="bosun-mono">{pr.destinationBranch}</span>
    </span>
  </div>
);

const renderCell = (column: DashboardColumnKey, pr: DashboardPullRequestView): ReactNode => {
  switch (column) {
    case 'id':
      return <span className="bosun-subtle">#{pr.id}</span>;
    case 'title':
      return <TitleCell pr={pr} />;
    case 'author':
      return <UserAvatar user={pr.author} />;
    case 'build':
      return <BuildStatusLozenge state={pr.buildState} />;
    case 'approvals':
      return (
        <span title={`${pr.approvals} of ${pr.reviewerCount} reviewers approved`}>
          {pr.approvals} / {pr.reviewerCount}
        </span>
      );
    case 'updated':
      return <span title={toDateTime(pr.updatedOn)}>{toRelativeTime(pr.updatedOn)}</span>;
  }
};

const toRows = (prs: readonly DashboardPullRequestView[]) =>
  toDashboardRowModels(prs).map(({ key, pr, sortKeys }) => ({
    key,
    cells: DASHBOARD_COLUMNS.map((column) => ({ key: sortKeys[column.key], content: renderCell(column.key, pr) })),
  }));

/** The repository dashboard: open pull requests in a sortable, paginated table. */
export const RepoDashboard = ({ view }: RepoDashboardProps) => {
  const { repository, pullRequests } = view;
  const count = pullRequests.length;
  const rows = useMemo(() => toRows(pullRequests), [pullRequests]);
  const repoName = repository.url ? (
    <a className="bosun-link" href={repository.url} target="_top">
      {repository.fullName}
    </a>
  ) : (
    repository.fullName
  );
  return (
    <PageShell
      testId="repo-dashboard"
      title="Open pull requests"
      subtitle={
        <>
          {repoName} <FreshnessNote freshness={view.freshness} />
        </>
      }
      aside={<Lozenge appearance="default">{`${count} open`}</Lozenge>}
    >
      {count === 0 ? (
        <EmptyState
          testId="repo-dashboard-empty"
          header="No open pull requests"
          description={`When someone opens a pull request in ${repository.fullName}, Bosun lists it here with its build and review state.`}
          headingSize="xsmall"
        />
      ) : (
        <DynamicTable
          testId={PULL_REQUESTS_TABLE_TEST_ID}
          label={`Open pull requests in ${repository.fullName}`}
          head={head}
          rows={rows}
          rowsPerPage={ROWS_PER_PAGE}
          defaultPage={1}
          defaultSortKey={DEFAULT_SORT_KEY}
          defaultSortOrder={DEFAULT_SORT_ORDER}
        />
      )}
    </PageShell>
  );
};
