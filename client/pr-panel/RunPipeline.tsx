import Button from '@atlaskit/button/default/button';
import Textfield from '@atlaskit/textfield/text-field';
import { useState, type FormEvent } from 'react';
import type { AuditStepView } from '../../server/web/api/contracts';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { realClock, waitForAgentJob, type PollClock } from '../api/wait-for-agent-job';
import { ErrorMessage } from '../components/ErrorMessage';
import { toTriggerPlan } from './to-trigger-plan';

export interface RunPipelineProps {
  api: Pick<ApiClient, 'executePlan' | 'getAgentJob'>;
  /** The repository's slug, as the pipeline tools take it. */
  repo: string;
  /** The PR's source branch: what the form runs unless changed. */
  sourceBranch: string;
  /** Another Builds action is running: the form waits. */
  disabled: boolean;
  /** The run started: the tool's step (its summary, and the new run's link). */
  onStarted: (step: AuditStepView | undefined, message: string) => void;
  clock?: PollClock;
}

/**
 * "Run pipeline" under the Builds list: opens a form (branch, default the PR's source branch; an optional custom
 * pipeline's name; optional KEY=value variables) that says what it will run before it runs, then runs pipeline.trigger
 * as a plan through the executor, like Re-run and Stop. A text field names the custom pipeline: neither the spec nor the
 * tools list the pipelines a bitbucket-pipelines.yml defines.
 */
export const RunPipeline = ({ api, repo, sourceBranch, disabled, onStarted, clock = realClock }: RunPipelineProps) => {
  const [open, setOpen] = useState(false);
  const [branch, setBranch] = useState(sourceBranch);
  const [custom, setCustom] = useState('');
  const [variables, setVariables] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const planned = toTriggerPlan(repo, { branch, custom, variables });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!planned.ok || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { jobId } = await api.executePlan({ plan: planned.plan, idempotencyKey: createIdempotencyKey(), confirmed: true });
      const waited = await waitForAgentJob({ getJob: (id) => api.getAgentJob(id), jobId, clock });
      const audit = waited.status === 'done' ? waited.job.audit : null;
      if (!audit || audit.outcome !== 'succeeded') {
        throw new Error(audit?.message ?? (waited.status === 'done' ? (waited.job.error ?? 'Bosun could not start the pipeline.') : 'Bosun is still working on it; reload in a moment.'));
      }
      setOpen(false);
      setCustom('');
      setVariables('');
      onStarted(audit.steps[0], audit.steps[0]?.summary ?? audit.message);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <div className="bosun-inline">
        <Button testId="build-run-open" appearance="subtle" isDisabled={disabled} onClick={() => setOpen(true)}>
          Run pipeline
        </Button>
      </div>
    );
  }
  return (
    <form className="bosun-list__text" data-testid="build-run-form" onSubmit={(event) => void submit(event)}>
      <div className="bosun-field">
        <label htmlFor="build-run-branch">Branch</label>
        <Textfield id="build-run-branch" testId="build-run-branch" isCompact value={branch} onChange={(e) => setBranch(e.currentTarget.value)} />
      </div>
      <div className="bosun-field">
        <label htmlFor="build-run-custom">Custom pipeline (optional, as named in bitbucket-pipelines.yml)</label>
        <Textfield id="build-run-custom" testId="build-run-custom" isCompact placeholder="the branch's own pipeline" value={custom} onChange={(e) => setCustom(e.currentTarget.value)} />
      </div>
      <div className="bosun-field">
        <label htmlFor="build-run-variables">Variables (optional, KEY=value, comma-separated)</label>
        <Textfield id="build-run-variables" testId="build-run-variables" isCompact placeholder="TARGET=staging, DRY_RUN=false" value={variables} onChange={(e) => setVariables(e.currentTarget.value)} />
      </div>
      <span className="bosun-subtle" data-testid="build-run-plan">
        {planned.ok ? `${planned.plan.summary}.` : planned.problem}
      </span>
      <div className="bosun-inline">
        <Button testId="build-run-confirm" type="submit" appearance="primary" isDisabled={!planned.ok || busy || disabled}>
          {busy ? 'Starting…' : 'Run pipeline'}
        </Button>
        <Button testId="build-run-cancel" appearance="subtle" isDisabled={busy} onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
    </form>
  );
};
