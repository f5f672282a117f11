import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import SectionMessage from '@atlaskit/section-message/message';
import Spinner from '@atlaskit/spinner/spinner';
import type { AgentPlanView, StepPreviewView } from '../../server/web/api/contracts';
import { toActsAsLabel } from './to-acts-as-label';
import { toRiskLozenge } from './to-risk-lozenge';
import { toStepDescription } from './to-step-description';

export interface PreviewPhase {
  kind: 'preview';
  view: AgentPlanView;
  /** One per preview: a double click or a retry of the same confirmation runs the plan once. */
  idempotencyKey: string;
  submitting: boolean;
}

const PlanStep = ({ step }: { step: StepPreviewView }) => {
  const risk = toRiskLozenge(step.risk);
  const description = toStepDescription(step);
  const actsAs = toActsAsLabel(step.actsAs);
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
        {actsAs ? (
          <span data-testid={actsAs.testId} title={actsAs.title}>
            <Lozenge appearance={step.actsAs === 'user' ? 'new' : 'default'}>{actsAs.label}</Lozenge>
          </span>
        ) : null}
        <Lozenge appearance={risk.appearance}>{risk.label}</Lozenge>
      </span>
    </li>
  );
};

/** What a request would do, step by step, before anything runs. */
export const PlanPreview = ({ phase, onConfirm, onCancel }: { phase: PreviewPhase; onConfirm: () => void; onCancel: () => void }) => {
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
