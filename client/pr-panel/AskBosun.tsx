import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import SectionMessage from '@atlaskit/section-message/message';
import Spinner from '@atlaskit/spinner/spinner';
import Textfield from '@atlaskit/textfield/text-field';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AgentJobView, AgentPlanView, AuditStepView, StepPreviewView } from '../../server/web/api/contracts';
import { isApiError } from '../api/api-error';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { isPlanRefusedError } from '../api/plan-refused-error';
import { waitForAgentJob } from '../api/wait-for-agent-job';
import { ConnectPromptMessage } from '../components/ConnectPromptMessage';
import { ErrorMessage } from '../components/ErrorMessage';
import { toDuration } from '../components/format-duration';
import { Section } from '../components/Section';
import { toAuditOutcomeLozenge } from '../components/to-audit-outcome-lozenge';
import { isJobChangingData, toJobMessage, toJobOutcome } from './to-job-result';
import { toRiskLozenge } from './to-risk-lozenge';
import { toStepDescription } from './to-step-description';

export interface AskBosunProps {
  api: ApiClient;
  repoUuid: string;
  prId: number | null;
  /** Called when a run changed something, so the panel loads its data again. */
  onChanged: () => void;
}

interface PreviewPhase {
  kind: 'preview';
  view: AgentPlanView;
  /** One per preview: a double click or a retry of the same confirmation runs the plan once. */
  idempotencyKey: string;
  submitting: boolean;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'planning' }
  | PreviewPhase
  | { kind: 'refused'; message: string; suggestions: readonly string[] }
  | { kind: 'running'; jobId: string; summary: string }
  | { kind: 'timeout'; jobId: string; summary: string }
  | { kind: 'result'; job: AgentJobView };

interface Failure {
  error: Error;
  retry: () => void;
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

const PlanStep = ({ step }: { step: StepPreviewView }) => {
  const risk = toRiskLozenge(step.risk);
  const description = toStepDescription(step);
  return (
    <li className="bosun-list__item" data-testid="plan-step" data-tool={step.tool} data-risk={step.risk ?? 'unknown'} data-valid={String(step.valid)}>
      <div className="bosun-list__text">
        <span className="bosun-inline">
          <span className="bosun-chip">{step.tool}</span>
          {step.repository ? <span className="bosun-subtlest">{step.repository}</span> : null}
        </span>
        <span className={description.isJson ? 'bosun-mono bosun-wrap' : 'bosun-wrap'} title={description.isJson ? undefined : JSON.stringify(step.input)}>
          {description.text}
        </span>
        {step.problems.map((problem) => (
          <span key={problem} className="bosun-danger" data-testid="plan-step-problem">
            {problem}
          </span>
        ))}
      </div>
      <span className="bosun-fixed bosun-inline">
        {step.actsAs === 'user' ? (
          <span data-testid="plan-step-acts-as-user">
            <Lozenge appearance="new">acts as you</Lozenge>
          </span>
        ) : null}
        <Lozenge appearance={risk.appearance}>{risk.label}</Lozenge>
      </span>
    </li>
  );
};

const PlanPreview = ({ phase, onConfirm, onCancel }: { phase: PreviewPhase; onConfirm: () => void; onCancel: () => void }) => {
  const { plan, preview } = phase.view;
  return (
    <div className="bosun-card" data-testid="plan-preview" data-valid={String(preview.valid)}>
      <div className="bosun-list__text">
        <strong data-testid="plan-summary">{plan.summary}</strong>
        <span className="bosun-subtle">
          Nothing has run yet. {preview.steps.length === 1 ? 'One step' : `${preview.steps.length} steps`}:
        </span>
      </div>
      <ol className="bosun-list">
        {preview.steps.map((step) => (
          <PlanStep key={step.index} step={step} />
        ))}
      </ol>
      {!preview.valid ? (
        <div data-testid="plan-problems">
          <SectionMessage appearance="error" title="Bosun cannot run this plan">
            {preview.problems.length > 0 ? (
              <ul className="bosun-bullets">
                {preview.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            ) : (
              <p>One of the steps above has a problem.</p>
            )}
          </SectionMessage>
        </div>
      ) : null}
      {preview.valid && preview.needsConfirmation ? (
        <div data-testid="plan-confirmation-reasons">
          <SectionMessage appearance="warning" title="Check before you run it">
            <ul className="bosun-bullets">
              {preview.confirmationReasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </SectionMessage>
        </div>
      ) : null}
      <div className="bosun-inline">
        <Button appearance="primary" testId="plan-confirm" isDisabled={!preview.valid || phase.submitting} onClick={onConfirm}>
          Confirm and run
        </Button>
        <Button appearance="subtle" testId="plan-cancel" isDisabled={phase.submitting} onClick={onCancel}>
          Cancel
        </Button>
        {phase.submitting ? <Spinner size="small" label="Starting" /> : null}
      </div>
    </div>
  );
};

const ResultStep = ({ step }: { step: AuditStepView }) => {
  const outcome = toAuditOutcomeLozenge(step.outcome);
  return (
    <li className="bosun-list__item" data-testid="result-step" data-outcome={step.outcome}>
      <div className="bosun-list__text">
        <span className="bosun-inline">
          <span className="bosun-chip">{step.tool}</span>
          {step.summary ? <span className="bosun-wrap">{step.summary}</span> : null}
        </span>
        {step.message ? <span className="bosun-subtle bosun-wrap">{step.message}</span> : null}
        {step.links.length > 0 ? (
          <span className="bosun-inline">
            {step.links.map((link) => (
              <a key={link.url} className="bosun-link" data-testid="result-link" href={link.url} target="_blank" rel="noopener noreferrer">
                {link.label}
              </a>
            ))}
          </span>
        ) : null}
      </div>
      <span className="bosun-fixed bosun-inline">
        <span className="bosun-subtlest">{toDuration(step.durationMs)}</span>
        <Lozenge appearance={outcome.appearance}>{outcome.label}</Lozenge>
      </span>
    </li>
  );
};

const JobResult = ({ job, onReset, api }: { job: AgentJobView; onReset: () => void; api: ApiClient }) => {
  const outcome = toJobOutcome(job);
  const lozenge = toAuditOutcomeLozenge(outcome);
  return (
    <div className="bosun-card" data-testid="plan-result" data-outcome={outcome}>
      <div className="bosun-inline">
        <Lozenge appearance={lozenge.appearance}>{lozenge.label}</Lozenge>
        {job.audit ? <strong>{job.audit.summary}</strong> : null}
      </div>
      <p className="bosun-wrap bosun-flush" data-testid="plan-result-message">
        {toJobMessage(job)}
      </p>
      {job.connect ? <ConnectPromptMessage prompt={job.connect} message={toJobMessage(job)} api={api} onConnected={onReset} /> : null}
      {job.audit && job.audit.steps.length > 0 ? (
        <ol className="bosun-list">
          {job.audit.steps.map((step, index) => (
            <ResultStep key={`${index}-${step.tool}`} step={step} />
          ))}
        </ol>
      ) : null}
      <div className="bosun-inline">
        <Button appearance="subtle" testId="plan-reset" onClick={onReset}>
          Ask something else
        </Button>
      </div>
    </div>
  );
};

/**
 * "Ask Bosun": a request in words becomes a plan the person previews, confirms and watches run.
 * Nothing runs before the confirmation; the run itself is a job, polled until it is done.
 */
export const AskBosun = ({ api, repoUuid, prId, onChanged }: AskBosunProps) => {
  const [text, setText] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [failure, setFailure] = useState<Failure | null>(null);
  const changed = useRef(onChanged);
  changed.current = onChanged;

  const ask = async (question: string): Promise<void> => {
    const request = question.trim();
    if (!request) return;
    setFailure(null);
    setPhase({ kind: 'planning' });
    try {
      const view = await api.planRequest({ text: request, repoUuid, prId });
      setPhase({ kind: 'preview', view, idempotencyKey: createIdempotencyKey(), submitting: false });
    } catch (error) {
      if (isPlanRefusedError(error)) {
        setPhase({ kind: 'refused', message: error.message, suggestions: error.suggestions });
        return;
      }
      setPhase({ kind: 'idle' });
      setFailure({ error: toError(error), retry: () => void ask(request) });
    }
  };

  const confirm = async (preview: PreviewPhase): Promise<void> => {
    setFailure(null);
    setPhase({ ...preview, submitting: true });
    try {
      const { jobId } = await api.executePlan({ plan: preview.view.plan, idempotencyKey: preview.idempotencyKey, confirmed: true });
      setPhase({ kind: 'running', jobId, summary: preview.view.plan.summary });
    } catch (error) {
      setPhase({ ...preview, submitting: false });
      setFailure({ error: toError(error), retry: () => void confirm(preview) });
    }
  };

  const running = phase.kind === 'running' ? phase : null;
  const runningJobId = running?.jobId ?? null;
  const runningSummary = running?.summary ?? '';
  useEffect(() => {
    if (!runningJobId) return;
    const controller = new AbortController();
    const keepWaiting = () => setPhase({ kind: 'running', jobId: runningJobId, summary: runningSummary });
    waitForAgentJob({ getJob: (jobId) => api.getAgentJob(jobId), jobId: runningJobId, signal: controller.signal }).then(
      (outcome) => {
        if (outcome.status === 'aborted') return;
        if (outcome.status === 'timeout') {
          setPhase({ kind: 'timeout', jobId: runningJobId, summary: runningSummary });
          return;
        }
        setPhase({ kind: 'result', job: outcome.job });
        if (isJobChangingData(outcome.job)) changed.current();
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setPhase({ kind: 'timeout', jobId: runningJobId, summary: runningSummary });
        setFailure({ error: toError(error), retry: keepWaiting });
      },
    );
    // Unmounting (or leaving this job) stops the polling; the job itself keeps running on the server.
    return () => controller.abort();
  }, [api, runningJobId, runningSummary]);

  const reset = () => {
    setFailure(null);
    setPhase({ kind: 'idle' });
  };

  const busy = phase.kind === 'planning' || phase.kind === 'running' || (phase.kind === 'preview' && phase.submitting);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!busy) void ask(text);
  };

  return (
    <Section title="Ask Bosun" testId="ask-bosun">
      <form className="bosun-ask" onSubmit={onSubmit}>
        <div className="bosun-ask__field">
          <Textfield
            testId="ask-input"
            aria-label="Ask Bosun"
            placeholder="e.g. add @ada as reviewer, merge when green"
            value={text}
            isCompact
            onChange={(event) => setText(event.currentTarget.value)}
          />
        </div>
        <Button type="submit" appearance="default" testId="ask-submit" isDisabled={busy || text.trim() === ''}>
          Ask
        </Button>
      </form>

      {phase.kind === 'idle' && !failure ? (
        <span className="bosun-subtle">Bosun shows what it would do, and runs it only when you confirm.</span>
      ) : null}

      {phase.kind === 'planning' ? (
        <div className="bosun-inline" role="status" data-testid="plan-planning">
          <Spinner size="small" label="Planning" />
          <span className="bosun-subtle">Working out a plan…</span>
        </div>
      ) : null}

      {phase.kind === 'refused' ? (
        <div data-testid="plan-refused">
          <SectionMessage appearance="information" title="Bosun did not understand that">
            <div className="bosun-section">
              <p className="bosun-wrap bosun-flush">{phase.message}</p>
              {phase.suggestions.length > 0 ? (
                <>
                  <span className="bosun-subtle">Try one of these:</span>
                  <div className="bosun-suggestions">
                    {phase.suggestions.map((suggestion) => (
                      <button
                        key={suggestion}
                        type="button"
                        className="bosun-suggestion"
                        data-testid="plan-suggestion"
                        onClick={() => setText(suggestion)}
                      >
                        {suggestion}
                      </button>
                    ))}
                  </div>
                </>
              ) : null}
            </div>
          </SectionMessage>
        </div>
      ) : null}

      {phase.kind === 'preview' ? <PlanPreview phase={phase} onConfirm={() => void confirm(phase)} onCancel={reset} /> : null}

      {phase.kind === 'running' ? (
        <div className="bosun-card" role="status" data-testid="plan-running" data-job-id={phase.jobId}>
          <div className="bosun-inline">
            <Spinner size="small" label="Running" />
            <strong>Running…</strong>
          </div>
          <span className="bosun-subtle">{phase.summary}</span>
        </div>
      ) : null}

      {phase.kind === 'timeout' ? (
        <div data-testid="plan-timeout" data-job-id={phase.jobId}>
          <SectionMessage appearance="warning" title="Still running">
            <div className="bosun-section">
              <p className="bosun-flush">
                “{phase.summary}” has not finished yet. It keeps running; its result will appear in the audit log.
              </p>
              <div className="bosun-inline">
                <Button testId="plan-keep-waiting" onClick={() => setPhase({ kind: 'running', jobId: phase.jobId, summary: phase.summary })}>
                  Keep waiting
                </Button>
                <Button appearance="subtle" onClick={reset}>
                  Close
                </Button>
              </div>
            </div>
          </SectionMessage>
        </div>
      ) : null}

      {phase.kind === 'result' ? <JobResult job={phase.job} onReset={reset} api={api} /> : null}

      {failure && isApiError(failure.error) && failure.error.connect ? (
        <ConnectPromptMessage prompt={failure.error.connect} message={failure.error.message} api={api} onConnected={failure.retry} />
      ) : failure ? (
        <ErrorMessage error={failure.error} />
      ) : null}
    </Section>
  );
};
