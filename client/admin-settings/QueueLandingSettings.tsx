import Button from '@atlaskit/button/default/button';
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../api/create-api-client';
import { ErrorMessage } from '../components/ErrorMessage';

type Strategy = 'merge_commit' | 'fast_forward';
interface Landing { strategy: Strategy; closeSourceBranch: boolean }

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The workspace layer's mergeQueue.strategy and closeSourceBranch as the form shows them (absent: merge_commit, as each PR asks). */
export function toLandingDraft(layer: unknown): Landing {
  const queue = asRecord(asRecord(layer).mergeQueue);
  return { strategy: queue.strategy === 'fast_forward' ? 'fast_forward' : 'merge_commit', closeSourceBranch: queue.closeSourceBranch === true };
}

/** The layer with the form's choice, every other field kept; unchecked closing is left to each PR (the field removed). */
export function toLandingLayer(layer: unknown, draft: Landing): Record<string, unknown> {
  const base = asRecord(layer);
  const { closeSourceBranch: _dropped, ...queue } = asRecord(base.mergeQueue);
  return { ...base, mergeQueue: { ...queue, strategy: draft.strategy, ...(draft.closeSourceBranch ? { closeSourceBranch: true } : {}) } };
}

/**
 * How every queue of the workspace merges: the workspace policy's mergeQueue.strategy and
 * closeSourceBranch (a repository's policy or a branch's bosun.yml may override them), saved
 * through the policy API like the policy editor's own save.
 */
export const QueueLandingSettings = ({ api }: { api: ApiClient }) => {
  const [policy, setPolicy] = useState<{ layer: unknown; version: number } | null>(null);
  const [draft, setDraft] = useState<Landing>({ strategy: 'merge_commit', closeSourceBranch: false });
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      const view = await api.getWorkspacePolicy();
      setPolicy({ layer: view.layer, version: view.version });
      setDraft(toLandingDraft(view.layer));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  }, [api]);
  useEffect(() => void load(), [load]);
  const save = async () => {
    if (!policy) return;
    setError(null);
    setSaved(false);
    setBusy(true);
    try {
      const view = await api.saveWorkspacePolicy(toLandingLayer(policy.layer, draft), policy.version);
      setPolicy({ layer: view.layer, version: view.version });
      setSaved(true);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="bosun-card" data-testid="queue-landing">
      <strong>How the queues merge (workspace policy)</strong>
      <div className="bosun-inline">
        <label className="bosun-field" htmlFor="queue-strategy">
          Strategy
          <select id="queue-strategy" data-testid="queue-strategy" className="bosun-select" value={draft.strategy} onChange={(e) => setDraft({ ...draft, strategy: e.target.value as Strategy })}>
            <option value="merge_commit">Merge commit per PR</option>
            <option value="fast_forward">Fast-forward (PRs must be rebased on what is ahead)</option>
          </select>
        </label>
        <label className="bosun-inline">
          <input type="checkbox" data-testid="queue-close-source-branch" checked={draft.closeSourceBranch} onChange={(e) => setDraft({ ...draft, closeSourceBranch: e.currentTarget.checked })} />
          Delete every landed PR&apos;s source branch (unchecked: as each PR asks)
        </label>
        <Button appearance="primary" testId="queue-landing-save" isDisabled={busy || !policy} onClick={() => void save()}>
          Save to policy
        </Button>
        {saved ? <span className="bosun-subtle" data-testid="queue-landing-saved">Saved to the workspace policy.</span> : null}
      </div>
      <span className="bosun-subtle">Squash is not offered: Bitbucket marks a PR merged only when its own commits reach the target.</span>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
};
