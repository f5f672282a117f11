import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import type { AgentJobView, AuditStepView } from '../../server/web/api/contracts';
import type { ApiClient } from '../api/create-api-client';
import { ConnectPromptMessage } from '../components/ConnectPromptMessage';
import { toDuration } from '../components/format-duration';
import { toAuditOutcomeLozenge } from '../components/to-audit-outcome-lozenge';
import { toJobMessage, toJobOutcome } from './to-job-result';

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

/** How a confirmed request went: outcome, each step, links, and a Connect prompt when it needs one. */
export const JobResult = ({ job, onReset, api }: { job: AgentJobView; onReset: () => void; api: ApiClient }) => {
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
