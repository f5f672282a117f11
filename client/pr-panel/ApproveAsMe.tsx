import Button from '@atlaskit/button/default/button';
import { useState } from 'react';
import type { ConnectPrompt, PullRequestPanelView } from '../../server/web/api/contracts';
import { isApiError, type ApiError } from '../api/api-error';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { waitForAgentJob } from '../api/wait-for-agent-job';
import { ConnectPromptMessage } from '../components/ConnectPromptMessage';
import { ErrorMessage } from '../components/ErrorMessage';

export interface ApproveAsMeProps {
  api: ApiClient;
  view: PullRequestPanelView;
  repoUuid: string;
  viewerUuid: string | null;
  onChanged: (view: PullRequestPanelView) => void;
}

/** Approve or withdraw approval as the viewer, with their own Bitbucket connection. */
export const ApproveAsMe = ({ api, view, repoUuid, viewerUuid, onChanged }: ApproveAsMeProps) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  // A connect prompt the job came back with (the pre-check passed, Bitbucket or the vault then said no).
  const [prompt, setPrompt] = useState<{ prompt: ConnectPrompt; message: string } | null>(null);
  const mine = view.reviewers.find((r) => r.user.uuid === viewerUuid);
  const approved = Boolean(mine?.approved);
  const open = view.pullRequest.state === 'OPEN';

  const run = async () => {
    setBusy(true);
    setError(null);
    setPrompt(null);
    try {
      const id = view.pullRequest.id;
      // One key per click: a retried request approves once.
      const key = createIdempotencyKey();
      const { jobId, finished } = approved ? await api.unapprovePullRequest(repoUuid, id, key) : await api.approvePullRequest(repoUuid, id, key);
      // On Forge the approval ran in the request, with the token Bitbucket sent for this click: nothing to poll.
      const waited = finished ? ({ status: 'done', job: finished } as const) : await waitForAgentJob({ getJob: (jobIdToPoll) => api.getAgentJob(jobIdToPoll), jobId });
      const audit = waited.status === 'done' ? waited.job.audit : null;
      if (waited.status === 'done' && waited.job.connect) {
        setPrompt({ prompt: waited.job.connect, message: audit?.message ?? 'Connect your Bitbucket account so Bosun can act as you.' });
        return;
      }
      if (!audit || audit.outcome !== 'succeeded') {
        throw new Error(audit?.message ?? (waited.status === 'done' ? (waited.job.error ?? 'Bosun could not do this.') : 'Bosun is still working on it; reload in a moment.'));
      }
      // Fresh: the mirror learns of this approval by webhook, which may not have arrived yet.
      onChanged(await api.getPullRequestPanel(repoUuid, String(id), { fresh: true }));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  if (!open) return null;
  return (
    <div className="bosun-section" data-testid="approve-as-me">
      <div className="bosun-inline">
        <Button appearance={approved ? 'default' : 'primary'} isDisabled={busy} onClick={() => void run()} testId="approve-button">
          {approved ? 'Remove my approval' : 'Approve as me'}
        </Button>
        <span className="bosun-subtle">Runs with your own Bitbucket account.</span>
      </div>
      {prompt ? <ConnectPromptMessage prompt={prompt.prompt} message={prompt.message} api={api} onConnected={() => void run()} /> : null}
      {error && isApiError(error) && error.connect ? (
        <ConnectPromptMessage prompt={error.connect} message={error.message} api={api} onConnected={() => void run()} />
      ) : error ? (
        <ErrorMessage error={error} />
      ) : null}
    </div>
  );
};
