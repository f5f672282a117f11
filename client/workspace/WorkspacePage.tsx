import DynamicTable from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge/lozenge';
import Textfield from '@atlaskit/textfield/text-field';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { TemplateListView } from '../../server/web/api/template-views';
import type { WorkspaceOverviewView, WorkspaceRepositoryRowView } from '../../server/web/api/workspace-overview-views';
import { isApiError } from '../api/api-error';
import type { ApiClient } from '../api/create-api-client';
import { ErrorMessage } from '../components/ErrorMessage';
import { FreshnessNote } from '../components/FreshnessNote';
import { Loading } from '../components/Loading';
import { PageShell } from '../components/PageShell';
import { Section } from '../components/Section';
import { useResource } from '../components/use-resource';
import { BulkApply } from './BulkApply';
import { DriftList } from './DriftList';
import {
  filterRepositories,
  REPOSITORIES_TABLE_TEST_ID,
  ROWS_PER_PAGE,
  toSlug,
  toWorkspaceSortKeys,
  WORKSPACE_COLUMNS,
  WORKSPACE_FILTERS,
  type WorkspaceColumnKey,
  type WorkspaceFilter,
} from './workspace-columns';

export interface WorkspacePageProps {
  api: ApiClient;
}

type TemplatesState = { kind: 'loading' } | { kind: 'admin'; view: TemplateListView } | { kind: 'admins-only' } | { kind: 'error'; error: unknown };

const DRIFT_LOZENGE = {
  none: { appearance: 'default', label: 'No template' },
  'in-sync': { appearance: 'success', label: 'In sync' },
  drifted: { appearance: 'moved', label: 'Differs' },
  partial: { appearance: 'removed', label: 'Stopped part-way' },
} as const;

const count = (n: number, tone: 'danger' | 'plain' = 'plain') => <span className={n > 0 && tone === 'danger' ? 'bosun-danger' : undefined}>{n}</span>;

const renderCell = (column: WorkspaceColumnKey, r: WorkspaceRepositoryRowView): ReactNode => {
  switch (column) {
    case 'repository':
      return r.url ? (
        <a className="bosun-link" href={r.url} target="_top">
          {r.fullName}
        </a>
      ) : (
        r.fullName
      );
    case 'open':
      return count(r.openPullRequests);
    case 'ready':
      return count(r.readyToMerge);
    case 'failing':
      return count(r.failingBuilds, 'danger');
    case 'stale':
      return count(r.stalePullRequests);
    case 'queue':
      return count(r.queueLength);
    case 'drift': {
      const l = DRIFT_LOZENGE[r.drift];
      return (
        <span className="bosun-stack" title={r.driftDetails.join('\n')}>
          <span data-testid="repository-drift" data-drift={r.drift}>
            <Lozenge appearance={l.appearance}>{l.label}</Lozenge>
          </span>
          {r.template ? <span className="bosun-subtlest">{r.template}</span> : null}
        </span>
      );
    }
  }
};

const Stat = ({ label, value, testId }: { label: string; value: number; testId: string }) => (
  <div className="bosun-card bosun-stat" data-testid={testId} data-value={value}>
    <strong>{value}</strong> <span className="bosun-subtle">{label}</span>
  </div>
);

/**
 * The workspace page: every repository with its open, ready, failing and stale pull requests, merge
 * queue and template drift, from Bosun's mirror (sortable, filterable, paginated). Workspace admins
 * also get the bulk apply (preview, confirm, progress) and the drift list with a fix per repository.
 */
export const WorkspacePage = ({ api }: WorkspacePageProps) => {
  const load = useCallback(() => api.getWorkspaceOverview(), [api]);
  const [state, controls] = useResource<WorkspaceOverviewView>(load);
  const [templates, setTemplates] = useState<TemplatesState>({ kind: 'loading' });
  const [filter, setFilter] = useState<WorkspaceFilter>('all');
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const loadTemplates = useCallback(() => {
    api.getTemplates().then(
      (view) => setTemplates({ kind: 'admin', view }),
      (error: unknown) => setTemplates(isApiError(error) && error.status === 403 ? { kind: 'admins-only' } : { kind: 'error', error }),
    );
  }, [api]);
  useEffect(() => loadTemplates(), [loadTemplates]);
  const refresh = useCallback(() => {
    controls.reload();
    loadTemplates();
  }, [controls, loadTemplates]);

  const isAdmin = templates.kind === 'admin';
  const view = state.status === 'ready' ? state.value : null;
  const shown = useMemo(() => (view ? filterRepositories(view.repositories, filter, text) : []), [view, filter, text]);
  const toggle = (slug: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(slug);
      else next.delete(slug);
      return next;
    });

  const head = {
    cells: [
      ...(isAdmin ? [{ key: 'select', content: <span className="bosun-subtle">Select</span>, isSortable: false, width: 6 }] : []),
      ...WORKSPACE_COLUMNS.map((c) => ({ key: c.key, content: c.label, isSortable: true, width: c.width })),
    ],
  };
  const rows = shown.map((r) => {
    const keys = toWorkspaceSortKeys(r);
    const slug = toSlug(r.fullName);
    return {
      key: slug,
      cells: [
        ...(isAdmin
          ? [
              {
                key: `select-${slug}`,
                content: (
                  <input type="checkbox" aria-label={`Select ${r.fullName}`} data-testid={`select-${slug}`} checked={selected.has(slug)} onChange={(e) => toggle(slug, e.target.checked)} />
                ),
              },
            ]
          : []),
        ...WORKSPACE_COLUMNS.map((c) => ({ key: keys[c.key], content: renderCell(c.key, r) })),
      ],
    };
  });

  if (state.status === 'loading') return <Loading label="Loading repositories" />;
  if (state.status === 'error') return <ErrorMessage error={state.error} />;
  const { totals } = state.value;
  return (
    <PageShell
      testId="workspace-page"
      title="Repositories"
      subtitle={<FreshnessNote freshness={state.value.freshness} />}
      aside={<Lozenge appearance="default">{`${totals.repositories} repositories`}</Lozenge>}
    >
      <div className="bosun-inline" data-testid="workspace-totals">
        <Stat label="open PRs" value={totals.openPullRequests} testId="total-open" />
        <Stat label="ready to merge" value={totals.readyToMerge} testId="total-ready" />
        <Stat label="with failing builds" value={totals.failingBuilds} testId="total-failing" />
        <Stat label={`stale (no update in ${state.value.staleAfterDays} days)`} value={totals.stalePullRequests} testId="total-stale" />
        <Stat label="queued to merge" value={totals.queueLength} testId="total-queue" />
        <Stat label="repositories differ from their template" value={totals.drifted} testId="total-drifted" />
      </div>
      <div className="bosun-filters">
        <div className="bosun-field">
          <label htmlFor="workspace-search">Repository</label>
          <Textfield id="workspace-search" testId="workspace-search" isCompact placeholder="Search by name" value={text} onChange={(e) => setText(e.currentTarget.value)} />
        </div>
        <div className="bosun-field">
          <label htmlFor="workspace-filter">Show</label>
          <select id="workspace-filter" data-testid="workspace-filter" className="bosun-select" value={filter} onChange={(e) => setFilter(e.target.value as WorkspaceFilter)}>
            {WORKSPACE_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <DynamicTable
        testId={REPOSITORIES_TABLE_TEST_ID}
        label="Repositories in this workspace"
        head={head}
        rows={rows}
        rowsPerPage={ROWS_PER_PAGE}
        defaultPage={1}
        defaultSortKey="repository"
        defaultSortOrder="ASC"
        emptyView={<span className="bosun-subtle">No repository matches.</span>}
      />
      {templates.kind === 'admins-only' ? (
        <Section title="Repository templates">
          <span className="bosun-subtle" data-testid="templates-admins-only">
            Only workspace admins can apply templates and fix drift.
          </span>
        </Section>
      ) : null}
      {templates.kind === 'error' ? <ErrorMessage error={templates.error} /> : null}
      {templates.kind === 'admin' ? (
        <>
          <BulkApply api={api} templates={templates.view} selected={[...selected].sort()} onFinished={refresh} onClearSelection={() => setSelected(new Set())} />
          <DriftList api={api} bindings={templates.view.bindings} onFinished={refresh} />
        </>
      ) : null}
    </PageShell>
  );
};
