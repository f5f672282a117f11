import Button from '@atlaskit/button/default/button';
import { useEffect, useRef, useState } from 'react';
import type { BuildStatusView, PullRequestPanelView } from '../../server/web/api/contracts';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { realClock, waitForAgentJob, type PollClock } from '../api/wait-for-agent-job';
import { BuildStatusLozenge } from '../components/BuildStatusLozenge';
import { ErrorMessage } from '../components/ErrorMessage';
import { toDateTime, toRelativeTime } from '../components/format-date';
import { RunPipeline } from './RunPipeline';
import { toBuildSource, toPipelinePlan } from './to-build-source';

export interface BuildListProps {
  api: Pick<ApiClient, 'executePlan' | 'getAgentJob' | 'getPullRequestPanel'>;
  view: PullRequestPanelView;
  repoUuid: string;
  /** `workspace/slug`: which Pipelines links are this repository's runs. */
  repoFullName: string | null;
  onChanged: (view: PullRequestPanelView) => void;
  clock?: PollClock;
}

/** After Re-run or Stop, the panel is read again this often while one of this PR's Pipelines runs is still going. */
const FOLLOW_MS = 1_500;
const FOLLOW_FOR_MS = 120_000;

const isRunning = (status: BuildStatusView) => status.state === 'INPROGRESS';

/**
 * Every build status on the PR's head commit (Pipelines and other CIs) with its state, source and time; Pipelines
 * runs of this repository get Re-run (once finished) and Stop (while running, after a confirmation). Both run as
 * plans through the executor, which checks the viewer's write access (the tools act as the installation). Run pipeline
 * (RunPipeline) starts one on the PR's source branch, or another, optionally custom with variables, the same way.
 */
export const BuildList = ({ api, view, repoUuid, repoFullName, onChanged, clock = realClock }: BuildListProps) => {
  const [busy, setBusy] = useState<string | null>(null);
  const [stopping, setStopping] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [log, setLog] = useState<{ buildNumber: number; text: string } | null>(null);
  const following = useRef<AbortController | null>(null);
  useEffect(() => () => following.current?.abort(), []);
  const repo = repoFullName?.split('/')[1] ?? repoUuid;
  const prId = String(view.pullRequest.id);

  /**
   * Reads the panel until no Pipelines run is in progress (the run posts its statuses as it goes) and, after a Re-run,
   * until the new run has posted: its first status replaces the old run's (Pipelines keys them by branch), maybe
   * after the first read.
   */
  const follow = async (first: PullRequestPanelView, awaited: number | null) => {
    following.current?.abort();
    const controller = new AbortController();
    following.current = controller;
    let latest = first;
    const until = clock.now() + FOLLOW_FOR_MS;
    while (!controller.signal.aborted && clock.now() < until) {
      const pipelines = latest.statuses.map((s) => ({ status: s, source: toBuildSource(s, repoFullName) }));
      const running = pipelines.some(({ status, source }) => isRunning(status) && source.kind === 'pipelines');
      const posted = awaited === null || pipelines.some(({ source }) => source.kind === 'pipelines' && source.buildNumber === awaited);
      if (!running && posted) return;
      await clock.wait(FOLLOW_MS, controller.signal);
      if (controller.signal.aborted) return;
      latest = await api.getPullRequestPanel(repoUuid, prId, { fresh: true });
      onChanged(latest);
    }
  };

  /** The failed step's log tail, read through the executor like Ask Bosun's "why did the build fail". */
  const showLog = async (buildNumber: number) => {
    setBusy(`log-${buildNumber}`);
    setError(null);
    try {
      const { jobId } = await api.executePlan({ plan: toPipelinePlan('log', repo, buildNumber), idempotencyKey: createIdempotencyKey(), confirmed: true });
      const waited = await waitForAgentJob({ getJob: (id) => api.getAgentJob(id), jobId, clock });
      const audit = waited.status === 'done' ? waited.job.audit : null;
      if (!audit || audit.outcome !== 'succeeded') throw new Error(audit?.message ?? 'Bosun could not read the log; try again in a moment.');
      setLog({ buildNumber, text: audit.steps[0]?.summary ?? audit.message });
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(null);
    }
  };

  /** After Re-run, Stop or Run pipeline: says what happened, reads the panel fresh and follows the run a start links to. */
  const afterAction = async (summary: string, startedUrl: string | null) => {
    setMessage(summary);
    // Fresh: the new run's first status reaches the mirror by webhook, maybe not yet.
    const fresh = await api.getPullRequestPanel(repoUuid, prId, { fresh: true });
    onChanged(fresh);
    const started = startedUrl !== null ? toBuildSource({ url: startedUrl }, repoFullName) : null;
    void follow(fresh, started?.kind === 'pipelines' ? started.buildNumber : null).catch((err: unknown) => setError(err instanceof Error ? err : new Error(String(err))));
  };

  const runPipeline = view.pullRequest.state === 'OPEN' ? (
    <RunPipeline
      api={api}
      repo={repo}
      sourceBranch={view.pullRequest.sourceBranch}
      disabled={busy !== null}
      clock={clock}
      onStarted={(step, summary) => {
        setError(null);
        afterAction(summary, step?.links[0]?.url ?? '').catch((err: unknown) => setError(err instanceof Error ? err : new Error(String(err))));
      }}
    />
  ) : null;

  const run = async (action: 'rerun' | 'stop', buildNumber: number) => {
    setBusy(`${action}-${buildNumber}`);
    setError(null);
    setMessage(null);
    try {
      const { jobId } = await api.executePlan({ plan: toPipelinePlan(action, repo, buildNumber), idempotencyKey: createIdempotencyKey(), confirmed: true });
      const waited = await waitForAgentJob({ getJob: (id) => api.getAgentJob(id), jobId, clock });
      const audit = waited.status === 'done' ? waited.job.audit : null;
      if (!audit || audit.outcome !== 'succeeded') {
        throw new Error(audit?.message ?? (waited.status === 'done' ? (waited.job.error ?? 'Bosun could not do this.') : 'Bosun is still working on it; reload in a moment.'));
      }
      setStopping(null);
      await afterAction(audit.steps[0]?.summary ?? audit.message, action === 'rerun' ? (audit.steps[0]?.links[0]?.url ?? '') : null);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(null);
    }
  };

  if (view.statuses.length === 0) {
    return (
      <>
        <span className="bosun-subtle">No build has reported on the latest commit yet.</span>
        {message ? (
          <span className="bosun-subtle" data-testid="build-action-result">
            {message}
          </span>
        ) : null}
        {runPipeline}
        {error ? <ErrorMessage error={error} /> : null}
      </>
    );
  }
  const passed = view.statuses.filter((s) => s.state === 'SUCCESSFUL').length;
  const open = view.pullRequest.state === 'OPEN';
  return (
    <>
      <span className="bosun-subtle">
        {passed} of {view.statuses.length} passed
      </span>
      <ul className="bosun-list" data-testid="build-list">
        {view.statuses.map((status) => {
          const source = toBuildSource(status, repoFullName);
          const pipeline = source.kind === 'pipelines' ? source.buildNumber : null;
          return (
            <li key={status.key} className="bosun-list__item" data-testid="build-status" data-state={status.state} data-key={status.key} data-pipeline={pipeline ?? undefined}>
              <div className="bosun-list__main">
                <span className="bosun-fixed">
                  <BuildStatusLozenge state={status.state} />
                </span>
                <div className="bosun-list__text">
                  <a className="bosun-link" data-testid="build-status-link" href={status.url} target="_blank" rel="noopener noreferrer">
                    {status.name || status.key}
                  </a>
                  <span className="bosun-subtle">
                    <span className="bosun-chip" data-testid="build-source">{pipeline !== null ? 'Pipelines' : source.kind === 'external' ? source.label : ''}</span>
                    {status.description ? ` ${status.description}` : ''}
                  </span>
                  {pipeline !== null && open ? (
                    <div className="bosun-inline">
                      {isRunning(status) ? (
                        stopping === pipeline ? (
                          <>
                            <Button testId="build-stop-confirm" appearance="danger" isDisabled={busy !== null} onClick={() => void run('stop', pipeline)}>
                              Stop #{pipeline}
                            </Button>
                            <Button testId="build-stop-cancel" appearance="subtle" onClick={() => setStopping(null)}>
                              Keep it running
                            </Button>
                          </>
                        ) : (
                          <Button testId="build-stop" appearance="subtle" isDisabled={busy !== null} onClick={() => setStopping(pipeline)}>
                            Stop
                          </Button>
                        )
                      ) : (
                        <>
                          <Button testId="build-rerun" appearance="subtle" isDisabled={busy !== null} onClick={() => void run('rerun', pipeline)}>
                            {busy === `rerun-${pipeline}` ? 'Starting…' : 'Re-run'}
                          </Button>
                          {status.state === 'FAILED' ? (
                            <Button testId="build-log" appearance="subtle" isDisabled={busy !== null} onClick={() => void showLog(pipeline)}>
                              Failed step&apos;s log
                            </Button>
                          ) : null}
                        </>
                      )}
                    </div>
                  ) : null}
                  {pipeline !== null && log?.buildNumber === pipeline ? (
                    <pre className="bosun-mono" data-testid="build-log-text">
                      {log.text}
                    </pre>
                  ) : null}
                </div>
              </div>
              <span className="bosun-subtlest bosun-fixed" title={toDateTime(status.updatedOn)}>
                {toRelativeTime(status.updatedOn)}
              </span>
            </li>
          );
        })}
      </ul>
      {runPipeline}
      {message ? (
        <span className="bosun-subtle" data-testid="build-action-result">
          {message}
        </span>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </>
  );
};
