import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import { useCallback, useEffect, useState } from 'react';
import type { PendingMergeView } from '../../server/web/api/pending-merge-views';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { waitForAgentJob } from '../api/wait-for-agent-job';
import { ErrorMessage } from '../components/ErrorMessage';
import { toDateTime, toRelativeTime } from '../components/format-date';
import { toCancelPlan, toPendingMergeSentence, toRequesterName } from './to-pending-merge-text';

export interface PendingMergesProps {
  api: ApiClient;
  repoUuid: string;
  /** `workspace/slug`: the cancel plan names the repository as people read it. */
  repoFullName: string | null;
  pullRequestId: number;
  /** Changes whenever the panel reloaded (after Ask Bosun ran something): the list is read again then. */
  version: unknown;
}

/** A pending "merge when green" on this PR: who armed it, when, and a button to cancel it. */
export const PendingMerges = ({ api, repoUuid, repoFullName, pullRequestId, version }: PendingMergesProps) => {
  const [pending, setPending] = useState<PendingMergeView[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const load = useCallback(async () => {
    const view = await api.getPendingMerges(repoUuid, pullRequestId);
    setPending(view.pending);
  }, [api, repoUuid, pullRequestId]);

  useEffect(() => {
    load().catch((err: unknown) => setError(err instanceof Error ? err : new Error(String(err))));
  }, [load, version]);

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      const repo = repoFullName?.split('/')[1] ?? repoUuid;
      const { jobId } = await api.executePlan({ plan: toCancelPlan(repo, pullRequestId), idempotencyKey: createIdempotencyKey(), confirmed: true });
      const waited = await waitForAgentJob({ getJob: (id) => api.getAgentJob(id), jobId });
      const audit = waited.status === 'done' ? waited.job.audit : null;
      if (!audit || audit.outcome !== 'succeeded') throw new Error(audit?.message ?? 'Bosun could not cancel it; try again in a moment.');
      await load();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  if (pending.length === 0 && !error) return null;
  return (
    <div className="bosun-section" data-testid="pending-merges">
      {pending.map((p) => (
        <div key={p.id} className="bosun-card" data-testid="pending-merge" data-kind={p.kind}>
          <div className="bosun-inline">
            <Lozenge appearance="inprogress">Merge when green</Lozenge>
            <span data-testid="pending-merge-requester">
              armed by <strong>{toRequesterName(p.requestedBy)}</strong>
            </span>
            <span className="bosun-subtlest" title={toDateTime(p.requestedAt)}>
              {toRelativeTime(p.requestedAt)}
            </span>
          </div>
          <span className="bosun-subtle">
            {toPendingMergeSentence(p, pullRequestId)}
            {p.attempts > 0 && p.reason ? ` Last try: ${p.reason}` : ''}
          </span>
          <div className="bosun-inline">
            <Button appearance="subtle" testId="pending-merge-cancel" isDisabled={busy} onClick={() => void cancel()}>
              Cancel merge when green
            </Button>
          </div>
        </div>
      ))}
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
};
