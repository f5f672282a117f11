import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import Textfield from '@atlaskit/textfield/text-field';
import { useCallback, useEffect, useState } from 'react';
import type { BranchQueueView, QueueSettingsChange } from '../../server/web/api/merge-queue-views';
import type { ApiClient } from '../api/create-api-client';
import { ErrorMessage } from '../components/ErrorMessage';
import { Section } from '../components/Section';
import { QueueLandingSettings } from './QueueLandingSettings';
import { toQueueSettingsChange, toQueueSettingsDraft, type QueueSettingsDraft } from './to-queue-settings-draft';

export interface MergeQueueSettingsProps {
  api: ApiClient;
}

const QueueEditor = ({ queue, onSave }: { queue: BranchQueueView; onSave: (change: QueueSettingsChange) => Promise<void> }) => {
  const [draft, setDraft] = useState<QueueSettingsDraft>(() => toQueueSettingsDraft(queue));
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const send = async (settings: QueueSettingsChange['settings'] | null) => {
    let change: QueueSettingsChange;
    if (settings) change = { repository: queue.repository, branch: queue.branch, settings };
    else {
      const checked = toQueueSettingsChange(queue.repository, queue.branch, draft);
      if ('problems' in checked) return setProblems(checked.problems);
      change = checked.change;
    }
    setProblems([]);
    setBusy(true);
    try {
      await onSave(change);
    } finally {
      setBusy(false);
    }
  };
  const id = `${queue.repository}:${queue.branch}`;
  return (
    <div className="bosun-card" data-testid="queue-settings" data-queue={id}>
      <div className="bosun-inline">
        <strong className="bosun-mono">
          {queue.repository} · {queue.branch}
        </strong>
        {queue.freeze.frozen ? <Lozenge appearance="moved">Frozen</Lozenge> : <Lozenge appearance="success">Open</Lozenge>}
        {queue.paused ? <Lozenge appearance="default">Paused</Lozenge> : null}
        <span className="bosun-subtle">{queue.entries.length} queued</span>
      </div>
      <label className="bosun-field">
        Lanes, first goes first (the last is the default)
        <Textfield testId="queue-lanes" value={draft.lanes} onChange={(e) => setDraft({ ...draft, lanes: e.currentTarget.value })} />
      </label>
      <div className="bosun-inline">
        <label className="bosun-field">
          Batch size
          <Textfield testId="queue-batch-size" value={draft.batchSize} onChange={(e) => setDraft({ ...draft, batchSize: e.currentTarget.value })} width={80} />
        </label>
        <label className="bosun-field">
          Batches tested at once
          <Textfield testId="queue-depth" value={draft.depth} onChange={(e) => setDraft({ ...draft, depth: e.currentTarget.value })} width={80} />
        </label>
        <label className="bosun-inline">
          <input type="checkbox" data-testid="queue-retry" checked={draft.retryFailedBatchOnce} onChange={(e) => setDraft({ ...draft, retryFailedBatchOnce: e.currentTarget.checked })} />
          Retry a failed batch once before bisecting (flaky tests)
        </label>
      </div>
      {problems.length > 0 ? (
        <ul className="bosun-list" data-testid="queue-settings-problems">
          {problems.map((p) => (
            <li key={p} className="bosun-danger">
              {p}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="bosun-inline">
        <Button appearance="primary" testId="queue-save" isDisabled={busy} onClick={() => void send(null)}>
          Save
        </Button>
        <Button testId="queue-freeze" isDisabled={busy} onClick={() => void send({ frozen: !queue.freeze.frozen })}>
          {queue.freeze.frozen ? 'Unfreeze' : 'Freeze'}
        </Button>
        <Button testId="queue-pause" isDisabled={busy} onClick={() => void send({ paused: !queue.paused })}>
          {queue.paused ? 'Resume' : 'Pause'}
        </Button>
      </div>
    </div>
  );
};

/**
 * Admin settings: every merge queue of the workspace with its lanes, batching, freeze switch and
 * pause; and a branch to set up before anything is queued. The API checks the viewer is an admin.
 */
export const MergeQueueSettings = ({ api }: MergeQueueSettingsProps) => {
  const [queues, setQueues] = useState<BranchQueueView[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [repository, setRepository] = useState('');
  const [branch, setBranch] = useState('main');
  const load = useCallback(async () => {
    try {
      setQueues((await api.getAdminQueues()).queues);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  }, [api]);
  useEffect(() => void load(), [load]);
  const save = async (change: QueueSettingsChange) => {
    setError(null);
    try {
      const saved = await api.configureQueue(change);
      setQueues((current) => [...(current ?? []).filter((q) => q.repository !== saved.repository || q.branch !== saved.branch), saved].sort((a, b) => `${a.repository}:${a.branch}`.localeCompare(`${b.repository}:${b.branch}`)));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <Section title="Merge queues" aside={<span className="bosun-subtle">{queues?.length ?? 0}</span>} testId="merge-queue-settings">
      <span className="bosun-subtle">
        Freeze holds a branch&apos;s queue (running checks finish, nothing lands); pause lets running batches land and starts nothing new. Lanes ahead of the default are for admins.
      </span>
      <QueueLandingSettings api={api} />
      {queues?.map((q) => <QueueEditor key={`${q.repository}:${q.branch}:${q.freeze.frozen}:${q.paused}:${q.settings.lanes.join(',')}`} queue={q} onSave={save} />)}
      <div className="bosun-inline" data-testid="queue-add">
        <label className="bosun-field">
          Repository (workspace/slug)
          <Textfield testId="queue-add-repository" value={repository} onChange={(e) => setRepository(e.currentTarget.value)} />
        </label>
        <label className="bosun-field">
          Branch
          <Textfield testId="queue-add-branch" value={branch} onChange={(e) => setBranch(e.currentTarget.value)} width={160} />
        </label>
        <Button testId="queue-add-submit" isDisabled={repository.trim() === '' || branch.trim() === ''} onClick={() => void save({ repository: repository.trim(), branch: branch.trim(), settings: {} })}>
          Set up queue
        </Button>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
    </Section>
  );
};
