import { DynamicTableStateless } from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge/lozenge';
import Textfield from '@atlaskit/textfield/text-field';
import { useEffect, useState } from 'react';
import type { AuditEntryView, AuditPageView } from '../../server/web/api/contracts';
import type { ApiClient } from '../api/create-api-client';
import type { AuditFilter } from '../api/to-audit-query';
import { ErrorMessage } from '../components/ErrorMessage';
import { toDateTime, toRelativeTime } from '../components/format-date';
import { toDuration } from '../components/format-duration';
import { Section } from '../components/Section';
import { toAuditOutcomeLozenge } from '../components/to-audit-outcome-lozenge';
import { useDebouncedValue } from '../components/use-debounced-value';
import { toActorLabel, toPageRange, toTriggerLabel } from './to-audit-labels';

export interface AuditLogProps {
  api: ApiClient;
}

/** Rows per page; the server pages with limit/offset. */
export const AUDIT_PAGE_SIZE = 20;
const FILTER_DEBOUNCE_MS = 300;

type FilterDraft = Required<Pick<AuditFilter, 'repo' | 'actor' | 'tool' | 'outcome'>>;

/** The server's bounds on each filter (GET /api/audit): the field stops there instead of the request failing. */
const AUDIT_FILTER_MAX = { repo: 255, actor: 128, tool: 64 } as const;

const EMPTY_FILTER: FilterDraft = { repo: '', actor: '', tool: '', outcome: 'any' };
const OUTCOMES: ReadonlyArray<{ value: FilterDraft['outcome']; label: string }> = [
  { value: 'any', label: 'Any outcome' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'refused', label: 'Refused' },
];

const head = {
  cells: [
    { key: 'when', content: 'When', width: 11 },
    { key: 'actor', content: 'Actor', width: 14 },
    { key: 'trigger', content: 'Trigger', width: 13 },
    { key: 'summary', content: 'Summary', width: 32 },
    { key: 'repositories', content: 'Repositories', width: 13 },
    { key: 'outcome', content: 'Outcome', width: 9 },
    { key: 'duration', content: 'Duration', width: 8 },
  ],
};

interface LoadState {
  page: AuditPageView | null;
  loading: boolean;
  error: unknown;
}

const isFiltered = (filter: FilterDraft): boolean =>
  filter.repo.trim() !== '' || filter.actor.trim() !== '' || filter.tool.trim() !== '' || filter.outcome !== 'any';

const EntryDetails = ({ entry }: { entry: AuditEntryView }) => (
  <details className="bosun-audit-details" data-testid="audit-details">
    <summary title={entry.message}>{entry.summary}</summary>
    <div className="bosun-stack">
      {entry.message ? <span className="bosun-subtle bosun-wrap">{entry.message}</span> : null}
      <ol className="bosun-bullets">
        {entry.steps.map((step, index) => (
          <li key={`${index}-${step.tool}`} data-testid="audit-step" data-outcome={step.outcome}>
            <span className="bosun-chip">{step.tool}</span> {toAuditOutcomeLozenge(step.outcome).label.toLowerCase()}
            {step.summary ? ` · ${step.summary}` : ''}
            {step.message ? <span className="bosun-subtle"> · {step.message}</span> : null}
            {step.links.map((link) => (
              <span key={link.url}>
                {' · '}
                <a className="bosun-link" href={link.url} target="_blank" rel="noopener noreferrer">
                  {link.label}
                </a>
              </span>
            ))}
          </li>
        ))}
      </ol>
    </div>
  </details>
);

const toRow = (entry: AuditEntryView) => {
  const actor = toActorLabel(entry.actor);
  const outcome = toAuditOutcomeLozenge(entry.outcome);
  return {
    key: `audit-${entry.id}`,
    testId: 'audit-row',
    cells: [
      {
        key: 'when',
        content: <span title={toDateTime(entry.startedAt)}>{toRelativeTime(entry.startedAt)}</span>,
      },
      {
        key: 'actor',
        content: (
          <span className="bosun-stack" title={[entry.actor.userUuid, entry.actor.accountId].filter(Boolean).join(' · ') || undefined}>
            <span className={actor.isId ? 'bosun-mono bosun-wrap' : 'bosun-wrap'}>{actor.label}</span>
            <span className="bosun-subtlest">{actor.detail}</span>
          </span>
        ),
      },
      {
        key: 'trigger',
        content: (
          <span className="bosun-stack" title={toTriggerLabel(entry.trigger)}>
            <span className="bosun-chip">{entry.trigger.kind}</span>
            {entry.trigger.ref ? <span className="bosun-subtle bosun-wrap">{entry.trigger.ref}</span> : null}
          </span>
        ),
      },
      {
        key: 'summary',
        content: (
          <span className="bosun-stack">
            <EntryDetails entry={entry} />
            <span className="bosun-inline">
              {entry.tools.map((tool) => (
                <span key={tool} className="bosun-chip">
                  {tool}
                </span>
              ))}
            </span>
          </span>
        ),
      },
      {
        key: 'repositories',
        content:
          entry.repositories.length === 0 ? (
            <span className="bosun-subtlest">—</span>
          ) : (
            <span className="bosun-stack">
              {entry.repositories.map((repository) => (
                <span key={repository} className="bosun-wrap">
                  {repository}
                </span>
              ))}
            </span>
          ),
      },
      {
        key: 'outcome',
        content: (
          <span data-testid="audit-outcome" data-outcome={entry.outcome} title={entry.message}>
            <Lozenge appearance={outcome.appearance}>{outcome.label}</Lozenge>
          </span>
        ),
      },
      { key: 'duration', content: <span className="bosun-subtle">{toDuration(entry.durationMs)}</span> },
    ],
  };
};

/** What Bosun did in this workspace, newest first, with filters and server-side pages. */
export const AuditLog = ({ api }: AuditLogProps) => {
  const [draft, setDraft] = useState<FilterDraft>(EMPTY_FILTER);
  const filter = useDebouncedValue(draft, FILTER_DEBOUNCE_MS);
  // The offset belongs to one filter: a new filter starts again at the first page.
  const [paging, setPaging] = useState<{ filter: FilterDraft; offset: number }>({ filter, offset: 0 });
  const offset = paging.filter === filter ? paging.offset : 0;
  const [state, setState] = useState<LoadState>({ page: null, loading: true, error: null });

  useEffect(() => {
    let active = true;
    setState((previous) => ({ ...previous, loading: true }));
    api.getAuditLog({ ...filter, limit: AUDIT_PAGE_SIZE, offset }).then(
      (page) => active && setState({ page, loading: false, error: null }),
      (error: unknown) => active && setState((previous) => ({ ...previous, loading: false, error })),
    );
    return () => {
      active = false;
    };
  }, [api, filter, offset]);

  const setField = <K extends keyof FilterDraft>(field: K, value: FilterDraft[K]) =>
    setDraft((previous) => ({ ...previous, [field]: value }));

  const page = state.page;
  const entries = page?.entries ?? [];
  const total = page?.total ?? 0;
  const shownOffset = page?.offset ?? offset;
  return (
    <Section
      title="Audit log"
      testId="audit-log"
      aside={
        page ? (
          <span className="bosun-subtle" data-testid="audit-range">
            {toPageRange(shownOffset, entries.length, total)}
          </span>
        ) : undefined
      }
    >
      <div className="bosun-filters" data-testid="audit-filters">
        <div className="bosun-field">
          <label htmlFor="audit-filter-repo">Repository</label>
          <Textfield
            id="audit-filter-repo"
            testId="audit-filter-repo"
            isCompact
            maxLength={AUDIT_FILTER_MAX.repo}
            placeholder="acme/web or web"
            value={draft.repo}
            onChange={(event) => setField('repo', event.currentTarget.value)}
          />
        </div>
        <div className="bosun-field">
          <label htmlFor="audit-filter-actor">Actor</label>
          <Textfield
            id="audit-filter-actor"
            testId="audit-filter-actor"
            isCompact
            maxLength={AUDIT_FILTER_MAX.actor}
            placeholder="Name, @nickname, account id or uuid"
            value={draft.actor}
            onChange={(event) => setField('actor', event.currentTarget.value)}
          />
        </div>
        <div className="bosun-field">
          <label htmlFor="audit-filter-tool">Tool</label>
          <Textfield
            id="audit-filter-tool"
            testId="audit-filter-tool"
            isCompact
            maxLength={AUDIT_FILTER_MAX.tool}
            placeholder="pullRequest.merge"
            value={draft.tool}
            onChange={(event) => setField('tool', event.currentTarget.value)}
          />
        </div>
        <div className="bosun-field">
          <label htmlFor="audit-filter-outcome">Outcome</label>
          <select
            id="audit-filter-outcome"
            data-testid="audit-filter-outcome"
            className="bosun-select"
            value={draft.outcome}
            onChange={(event) => setField('outcome', event.currentTarget.value as FilterDraft['outcome'])}
          >
            {OUTCOMES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>

      {state.error ? <ErrorMessage error={state.error} /> : null}

      <DynamicTableStateless
        testId="audit-table"
        label="Audit log"
        head={head}
        rows={entries.map(toRow)}
        rowsPerPage={AUDIT_PAGE_SIZE}
        totalRows={total}
        page={Math.floor(shownOffset / AUDIT_PAGE_SIZE) + 1}
        onSetPage={(next) => setPaging({ filter, offset: (next - 1) * AUDIT_PAGE_SIZE })}
        isLoading={state.loading}
        loadingLabel="Loading the audit log"
        emptyView={
          page ? (
            <span className="bosun-subtle" data-testid="audit-empty">
              {isFiltered(filter) ? 'Nothing matches these filters.' : 'Nothing has been done yet.'}
            </span>
          ) : (
            <span className="bosun-subtle">Loading…</span>
          )
        }
      />
    </Section>
  );
};
