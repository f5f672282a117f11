import Button from '@atlaskit/button/default/button';
import SectionMessage from '@atlaskit/section-message/message';
import Spinner from '@atlaskit/spinner/spinner';
import Textfield from '@atlaskit/textfield/text-field';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AgentJobView, AgentPlanClarificationView, AgentPlanPageFacts } from '../../server/web/api/contracts';
import { isApiError } from '../api/api-error';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { isPlanRefusedError } from '../api/plan-refused-error';
import { waitForAgentJob } from '../api/wait-for-agent-job';
import { ConnectPromptMessage } from '../components/ConnectPromptMessage';
import { ErrorMessage } from '../components/ErrorMessage';
import { Section } from '../components/Section';
import { isJobChangingData } from './to-job-result';
import { JobResult } from './JobResult';
import { PlanPreview, type PreviewPhase } from './PlanPreview';
import { toRequestLengthProblem } from './to-request-length-problem';

export interface AskBosunProps {
  api: ApiClient;
  repoUuid: string;
  /** `workspace/slug` from the page's context: plans then name the repository, not its uuid. */
  repoFullName?: string | null;
  prId: number | null;
  /** What the panel shows (branches, people), so requests can say "the source branch" or "Ada". */
  page?: AgentPlanPageFacts;
  /** Called when a run changed something, so the panel loads its data again. */
  onChanged: () => void;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'planning' }
  | PreviewPhase
  | { kind: 'refused'; message: string; suggestions: readonly string[] }
  | { kind: 'clarification'; request: string; view: AgentPlanClarificationView }
  | { kind: 'running'; jobId: string; summary: string }
  | { kind: 'timeout'; jobId: string; summary: string }
  | { kind: 'result'; job: AgentJobView };

interface Failure {
  error: Error;
  retry: () => void;
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

export const AskBosun = ({ api, repoUuid, repoFullName, prId, page, onChanged }: AskBosunProps) => {
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
      const view = await api.planRequest({ text: request, repoUuid, ...(repoFullName ? { repoFullName } : {}), prId, ...(page ? { page } : {}) });
      if (view.kind === 'clarification') {
        setPhase({ kind: 'clarification', request, view });
        return;
      }
      if (view.readOnly) {
        // A question changes nothing: it is answered straight away, with no "Confirm and run".
        const { jobId, finished } = await api.executePlan({ plan: view.plan, idempotencyKey: createIdempotencyKey(), confirmed: false });
        // Run in the request (a Forge page acting as the viewer): nothing to poll.
        setPhase(finished ? { kind: 'result', job: finished } : { kind: 'running', jobId, summary: view.plan.summary });
        return;
      }
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
      const { jobId, finished } = await api.executePlan({ plan: preview.view.plan, idempotencyKey: preview.idempotencyKey, confirmed: true });
      if (finished) {
        // Run in the request (a Forge page acting as the viewer): nothing to poll.
        setPhase({ kind: 'result', job: finished });
        if (isJobChangingData(finished)) changed.current();
        return;
      }
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
  // Stopped in the field, in plain words, before the server would refuse it.
  const tooLong = toRequestLengthProblem(text);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!busy && !tooLong) void ask(text);
  };

  return (
    <Section title="Ask Bosun" testId="ask-bosun">
      <form className="bosun-ask" onSubmit={onSubmit}>
        <div className="bosun-ask__field">
          <Textfield
            testId="ask-input"
            aria-label="Ask Bosun"
            placeholder={prId === null ? 'e.g. list stale branches, require 2 approvals on main' : 'e.g. add @ada as reviewer, merge when green'}
            value={text}
            isCompact
            isInvalid={tooLong !== null}
            aria-describedby={tooLong ? 'ask-too-long' : undefined}
            onChange={(event) => setText(event.currentTarget.value)}
          />
        </div>
        <Button type="submit" appearance="default" testId="ask-submit" isDisabled={busy || text.trim() === '' || tooLong !== null}>
          Ask
        </Button>
      </form>
      {tooLong ? (
        <span id="ask-too-long" className="bosun-danger" role="alert" data-testid="ask-too-long">
          {tooLong}
        </span>
      ) : null}

      {phase.kind === 'idle' && !failure ? (
        <span className="bosun-subtle">Bosun shows what it would do and runs it only when you confirm; questions are answered straight away.</span>
      ) : null}

      {phase.kind === 'planning' ? (
        <div className="bosun-inline" role="status" data-testid="plan-planning">
          <Spinner size="small" label="Planning" />
          <span className="bosun-subtle">Working out a plan…</span>
        </div>
      ) : null}

      {phase.kind === 'refused' ? (
        <div data-testid="plan-refused">
          <SectionMessage appearance="information" title="What Bosun can do">
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

      {phase.kind === 'clarification' ? (
        <div className="bosun-card" data-testid="plan-clarification">
          <strong data-testid="plan-question">{phase.view.question}</strong>
          {phase.view.choices.length > 0 ? (
            <div className="bosun-suggestions">
              {phase.view.choices.map((choice) => (
                <button
                  key={choice.text}
                  type="button"
                  className="bosun-suggestion"
                  data-testid="plan-choice"
                  title={choice.text}
                  onClick={() => {
                    setText(choice.text);
                    void ask(choice.text);
                  }}
                >
                  {choice.label}
                </button>
              ))}
            </div>
          ) : (
            <span className="bosun-subtle">Add it to your request and ask again.</span>
          )}
          <div className="bosun-inline">
            <Button appearance="subtle" testId="plan-clarification-cancel" onClick={reset}>
              Cancel
            </Button>
          </div>
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
