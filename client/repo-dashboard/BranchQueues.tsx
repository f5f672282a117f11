import Lozenge from '@atlaskit/lozenge/lozenge';
import { useCallback, useEffect, useState } from 'react';
import type { RepositoryQueuesView } from '../../server/web/api/merge-queue-views';
import type { ApiClient } from '../api/create-api-client';
import { ErrorMessage } from '../components/ErrorMessage';
import { toQueueLandingText } from '../components/to-queue-landing-text';
import { toDuration } from '../components/format-duration';
import { Section } from '../components/Section';

export interface BranchQueuesProps {
  api: ApiClient;
  repoUuid: string;
  /** How often the queues are read again (they move as CI answers). */
  refreshMs?: number;
}

type Appearance = 'default' | 'inprogress' | 'success' | 'removed' | 'moved' | 'new';
const BATCH_APPEARANCE: Record<string, Appearance> = { building: 'new', testing: 'inprogress', passed: 'success', red: 'removed', landing: 'inprogress' };
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

const QueueOfBranch = ({ queue }: { queue: RepositoryQueuesView['queues'][number] }) => {
  const { analytics: a } = queue;
  return (
    <div className="bosun-card" data-testid="branch-queue" data-branch={queue.branch}>
      <div className="bosun-inline">
        <strong className="bosun-mono">{queue.branch}</strong>
        {queue.freeze.frozen ? <Lozenge appearance="moved">Frozen{queue.freeze.until ? ` until ${queue.freeze.until.slice(11, 16)} UTC` : ''}</Lozenge> : null}
        {queue.paused ? <Lozenge appearance="default">Paused</Lozenge> : null}
        <span className="bosun-subtle">
          {queue.entries.length} queued · batches of {queue.settings.batchSize}, {queue.settings.depth} at once
        </span>
      </div>
      <span className="bosun-subtle" data-testid="branch-queue-landing" data-strategy={queue.landing?.strategy ?? 'unknown'}>
        {toQueueLandingText(queue.landing)}
      </span>
      {queue.entries.length === 0 ? (
        <span className="bosun-subtle">Nothing queued.</span>
      ) : (
        <ol className="bosun-list" data-testid="branch-queue-order">
          {queue.entries.map((e) => {
            const batch = e.batchId ? queue.batches.find((b) => b.id === e.batchId) : undefined;
            return (
              <li key={e.prId} className="bosun-list__item" data-testid="branch-queue-entry" data-pr={e.prId} data-state={batch?.state ?? e.state}>
                <span>
                  {e.position}. #{e.prId}
                  {e.lane !== queue.settings.lanes[queue.settings.lanes.length - 1] ? ` (${e.lane})` : ''}
                </span>
                <span className="bosun-inline">
                  {batch ? <Lozenge appearance={BATCH_APPEARANCE[batch.state] ?? 'default'}>{`${batch.id} ${batch.state}${batch.bisect ? ' (bisect)' : batch.retry ? ' (retry)' : ''}`}</Lozenge> : <span className="bosun-subtlest">waiting</span>}
                  <span className="bosun-subtlest">{e.etaAt ? `ETA ${e.etaAt.slice(11, 16)} UTC` : 'no ETA while frozen'}</span>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {queue.recentlyLeft.length > 0 ? (
        <ul className="bosun-list" data-testid="branch-queue-left">
          {queue.recentlyLeft.slice(0, 3).map((e) => (
            <li key={`${e.prId}-${e.endedAt ?? ''}`} className="bosun-list__item">
              <span className="bosun-subtle">
                #{e.prId} {e.state}: {e.reason ?? '—'}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <span className="bosun-subtlest" data-testid="branch-queue-analytics">
        Time in queue p50 {a.timeInQueueP50Ms === null ? '—' : toDuration(a.timeInQueueP50Ms)}, p95 {a.timeInQueueP95Ms === null ? '—' : toDuration(a.timeInQueueP95Ms)} · {a.mergesLastHour} merged in the last hour · CI runs per merged PR {a.ciRunsPerMergedPr === null ? '—' : a.ciRunsPerMergedPr.toFixed(2)} · batch success {pct(a.batchSuccessRate)}
      </span>
    </div>
  );
};

/** The repository's merge queues, one per destination branch: how each merges (strategy, source branches), order, each batch's state, ETAs and analytics. */
export const BranchQueues = ({ api, repoUuid, refreshMs = 3_000 }: BranchQueuesProps) => {
  const [view, setView] = useState<RepositoryQueuesView | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const load = useCallback(async () => {
    try {
      setView(await api.getRepositoryQueues(repoUuid));
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  }, [api, repoUuid]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => clearInterval(timer);
  }, [load, refreshMs]);
  if (!view) return error ? <ErrorMessage error={error} /> : null;
  return (
    <Section title="Merge queues" aside={<span className="bosun-subtle">{view.queues.length}</span>} testId="merge-queues">
      {view.queues.length === 0 ? <span className="bosun-subtle">No branch of {view.repository} has a merge queue yet.</span> : view.queues.map((q) => <QueueOfBranch key={q.branch} queue={q} />)}
      {error ? <ErrorMessage error={error} /> : null}
    </Section>
  );
};
