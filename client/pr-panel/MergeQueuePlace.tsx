import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import { useCallback, useEffect, useState } from 'react';
import type { PullRequestQueueView } from '../../server/web/api/merge-queue-views';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { waitForAgentJob } from '../api/wait-for-agent-job';
import { ErrorMessage } from '../components/ErrorMessage';
import { toQueueLandingText } from '../components/to-queue-landing-text';
import { toLeaveQueuePlan, toQueuePlaceText, toQueuePlan } from './to-queue-place-text';

export interface MergeQueuePlaceProps {
  api: ApiClient;
  repoUuid: string;
  /** `workspace/slug`: the plan names the repository as people read it. */
  repoFullName: string | null;
  pullRequestId: number;
  /** Changes whenever the panel reloaded: the place is read again then. */
  version: unknown;
  /** How often the place is read again while the PR is queued (it moves as batches land). */
  refreshMs?: number;
}

/** This PR in its branch's merge queue: position, batch, freeze, how the queue merges, and Queue / Leave queue buttons. */
export const MergeQueuePlace = ({ api, repoUuid, repoFullName, pullRequestId, version, refreshMs = 3_000 }: MergeQueuePlaceProps) => {
  const [view, setView] = useState<PullRequestQueueView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const load = useCallback(async () => setView(await api.getPullRequestQueue(repoUuid, pullRequestId)), [api, repoUuid, pullRequestId]);

  useEffect(() => {
    load().catch((err: unknown) => setError(err instanceof Error ? err : new Error(String(err))));
  }, [load, version]);

  const queued = view?.place !== null && view?.place !== undefined;
  useEffect(() => {
    if (!queued) return undefined;
    const timer = setInterval(() => void load().catch(() => {}), refreshMs);
    return () => clearInterval(timer);
  }, [queued, load, refreshMs]);

  const run = async (join: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const repo = repoFullName?.split('/')[1] ?? repoUuid;
      const plan = join ? toQueuePlan(repo, pullRequestId) : toLeaveQueuePlan(repo, pullRequestId);
      const { jobId } = await api.executePlan({ plan, idempotencyKey: createIdempotencyKey(), confirmed: true });
      const waited = await waitForAgentJob({ getJob: (id) => api.getAgentJob(id), jobId });
      const audit = waited.status === 'done' ? waited.job.audit : null;
      if (!audit || audit.outcome !== 'succeeded') throw new Error(audit?.message ?? 'Bosun could not do it; try again in a moment.');
      await load();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  if (!view) return error ? <ErrorMessage error={error} /> : null;
  const text = toQueuePlaceText(view);
  return (
    <div className="bosun-card" data-testid="merge-queue-place" data-queued={String(queued)} data-position={view.place?.position ?? ''}>
      <div className="bosun-inline">
        <Lozenge appearance={queued ? 'inprogress' : view.lastLeft?.state === 'ejected' ? 'removed' : view.lastLeft?.state === 'merged' ? 'success' : 'default'}>Merge queue</Lozenge>
        {view.freeze.frozen ? <Lozenge appearance="moved">Frozen</Lozenge> : null}
        <span data-testid="merge-queue-headline">{text.headline}</span>
      </div>
      {text.detail ? <span className="bosun-subtle" data-testid="merge-queue-detail">{text.detail}</span> : null}
      <span className="bosun-subtlest" data-testid="merge-queue-landing" data-strategy={view.landing?.strategy ?? 'unknown'} data-source-branch-closed={view.landing ? String(view.landing.sourceBranchClosed) : 'unknown'}>
        {toQueueLandingText(view.landing, view.landing ?? undefined)}
      </span>
      <div className="bosun-inline">
        {queued ? (
          <Button appearance="subtle" testId="merge-queue-leave" isDisabled={busy} onClick={() => void run(false)}>
            Leave queue
          </Button>
        ) : view.canQueue ? (
          <Button appearance="primary" testId="merge-queue-join" isDisabled={busy} onClick={() => void run(true)}>
            Queue
          </Button>
        ) : null}
      </div>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
};
