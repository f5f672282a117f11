import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RuleActivityView } from '../../server/web/api/policy-views';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { realClock, waitForAgentJob, type PollClock } from '../api/wait-for-agent-job';
import { ErrorMessage } from '../components/ErrorMessage';
import { ResourceView } from '../components/ResourceView';
import { Section } from '../components/Section';
import { toPreviewRulesPlan, toRulesPreviewLines, toRunRulesPlan } from './to-rules-plan';

export interface RuleActivityProps {
  api: ApiClient;
  repoUuid: string;
  prId: string;
  /** `workspace/slug`: the plans name the repository as people read it. */
  repoFullName: string | null;
  /** Rules act on open PRs only: the buttons show then. */
  open: boolean;
  clock?: PollClock;
}

/** How long after "Run rules" the panel reads the activity again for the rules' job (it runs in the background). */
const FOLLOW_MS = 1_500;
const FOLLOW_TIMES = 10;

const toFailure = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * "Automation": what Bosun's rules did on this PR and what rules in dry run would have done, with
 * "Preview rules" (what they would do now, writing nothing) and "Run rules" (run them now, each in
 * its mode), both through the executor like every other button.
 */
export const RuleActivity = ({ api, repoUuid, prId, repoFullName, open, clock = realClock }: RuleActivityProps) => {
  const load = useCallback(() => api.getRuleActivity(repoUuid, Number(prId)), [api, repoUuid, prId]);
  return (
    <ResourceView load={load} loadingLabel="Loading automation">
      {(view, { setValue }) => <RuleActivityBody view={view} api={api} load={load} repo={repoFullName?.split('/')[1] ?? repoUuid} pullRequestId={Number(prId)} open={open} clock={clock} onChanged={setValue} />}
    </ResourceView>
  );
};

interface RuleActivityBodyProps {
  view: RuleActivityView;
  api: ApiClient;
  load: () => Promise<RuleActivityView>;
  repo: string;
  pullRequestId: number;
  open: boolean;
  clock: PollClock;
  onChanged: (view: RuleActivityView) => void;
}

const RuleActivityBody = ({ view, api, load, repo, pullRequestId, open, clock, onChanged }: RuleActivityBodyProps) => {
  const [busy, setBusy] = useState<'preview' | 'run' | null>(null);
  const [preview, setPreview] = useState<{ headline: string; items: string[] } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const following = useRef<AbortController | null>(null);
  useEffect(() => () => following.current?.abort(), []);

  const execute = async (plan: ReturnType<typeof toPreviewRulesPlan>) => {
    const { jobId } = await api.executePlan({ plan, idempotencyKey: createIdempotencyKey(), confirmed: true });
    const waited = await waitForAgentJob({ getJob: (id) => api.getAgentJob(id), jobId, clock });
    const audit = waited.status === 'done' ? waited.job.audit : null;
    if (!audit || audit.outcome !== 'succeeded') {
      throw new Error(audit?.message ?? (waited.status === 'done' ? (waited.job.error ?? 'Bosun could not do this.') : 'Bosun is still working on it; reload in a moment.'));
    }
    return audit.steps[0]?.summary ?? audit.message;
  };

  /** The rules' own job runs after the button's: read the activity until it shows something new. */
  const follow = async (before: RuleActivityView) => {
    following.current?.abort();
    const controller = new AbortController();
    following.current = controller;
    const seen = JSON.stringify(before.entries);
    for (let i = 0; i < FOLLOW_TIMES; i++) {
      await clock.wait(FOLLOW_MS, controller.signal);
      if (controller.signal.aborted) return;
      const latest = await load();
      if (JSON.stringify(latest.entries) !== seen) return onChanged(latest);
    }
  };

  const act = async (what: 'preview' | 'run') => {
    setBusy(what);
    setError(null);
    setMessage(null);
    try {
      if (what === 'preview') {
        setPreview(toRulesPreviewLines(await execute(toPreviewRulesPlan(repo, pullRequestId))));
      } else {
        setPreview(null);
        setMessage(await execute(toRunRulesPlan(repo, pullRequestId)));
        void follow(view).catch((err: unknown) => setError(toFailure(err)));
      }
    } catch (err) {
      setError(toFailure(err));
    } finally {
      setBusy(null);
    }
  };

  if (view.entries.length === 0 && !open) return null;
  return (
    <Section title="Automation" testId="rule-section">
      {view.entries.length > 0 ? (
        <ul className="bosun-list" data-testid="rule-activity">
          {view.entries.map((e) => (
            <li key={`${e.at}-${e.rule}-${e.message}`} className="bosun-list__item" data-testid="rule-activity-entry" data-rule={e.rule} data-dry-run={String(e.dryRun)}>
              <span className="bosun-fixed">
                <Lozenge appearance={e.dryRun ? 'default' : e.outcome === 'succeeded' ? 'success' : 'removed'}>{e.dryRun ? 'dry run' : e.outcome}</Lozenge>
              </span>
              <span className="bosun-list__text">{e.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {open ? (
        <div className="bosun-inline">
          <Button appearance="subtle" testId="rules-preview" isDisabled={busy !== null} onClick={() => void act('preview')}>
            Preview rules
          </Button>
          <Button appearance="subtle" testId="rules-run" isDisabled={busy !== null} onClick={() => void act('run')}>
            Run rules
          </Button>
        </div>
      ) : null}
      {preview ? (
        <div className="bosun-card" data-testid="rules-preview-result">
          <span>{preview.headline}</span>
          {preview.items.length > 0 ? (
            <ul className="bosun-list">
              {preview.items.map((item) => (
                <li key={item} className="bosun-list__item" data-testid="rules-preview-item">
                  <span className="bosun-list__text">{item}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {message ? (
        <span className="bosun-subtle" data-testid="rules-run-message">
          {message}
        </span>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </Section>
  );
};
