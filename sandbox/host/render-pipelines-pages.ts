import type { Pipeline, PipelineStep } from '../state/types';
import { escapeHtml as h } from './escape-html';

/**
 * The sandbox's Pipelines pages, like Bitbucket's (`/{workspace}/{repo}/pipelines` and `…/pipelines/results/{n}`,
 * the URL a run's build status links to): the runs of a repository newest first, then one run with its steps and
 * their logs. The layout is ours; the fields are the spec's pipeline and pipeline_step (state, result, trigger,
 * target ref and commit, creator, created_on/completed_on).
 */

export interface PipelinesPageHelpers {
  base: string;
  lozenge: (text: string, cls?: string) => string;
  userLink: (uuid: string) => string;
}

/** What a run shows: its result once completed, else its state (PENDING, IN_PROGRESS). */
export const toRunLabel = (p: Pick<Pipeline, 'state' | 'result'> | Pick<PipelineStep, 'state' | 'result'>): string => p.result ?? p.state;

const toLozengeClass = (label: string): string => ({ IN_PROGRESS: 'INPROGRESS', NOT_RUN: 'draft', PENDING: 'draft' })[label] ?? label;

const toPipelineName = (p: Pipeline): string => (p.selector.type === 'default' ? 'default' : `${p.selector.type}: ${p.selector.pattern ?? ''}`);

export function renderPipelinesList(runs: readonly Pipeline[], helpers: PipelinesPageHelpers): string {
  const { base, lozenge, userLink } = helpers;
  if (runs.length === 0) return '<p data-testid="pipelines-none">No pipeline has run in this repository yet.</p>';
  const rows = [...runs]
    .sort((a, b) => b.buildNumber - a.buildNumber)
    .map((p) => {
      const label = toRunLabel(p);
      return `<tr data-testid="pipeline-run" data-build="${p.buildNumber}" data-state="${h(label)}"><td><a href="${h(base)}/pipelines/results/${p.buildNumber}">#${p.buildNumber}</a></td><td>${lozenge(label, toLozengeClass(label))}</td><td>${h(p.refName)} <code>${h(p.commitHash.slice(0, 12))}</code></td><td>${h(toPipelineName(p))}</td><td>${userLink(p.creatorUuid)}</td><td>${h(p.createdOn)}</td></tr>`;
    })
    .join('');
  return `<table data-testid="pipelines-list"><tr><th>Run</th><th>Result</th><th>Branch and commit</th><th>Pipeline</th><th>Started by</th><th>Created</th></tr>${rows}</table>`;
}

export function renderPipelineRun(p: Pipeline, helpers: PipelinesPageHelpers): string {
  const { base, lozenge, userLink } = helpers;
  const label = toRunLabel(p);
  const steps = p.steps
    .map((s, i) => {
      const stepLabel = toRunLabel(s);
      return `<section class="card" data-testid="pipeline-step" data-index="${i}" data-state="${h(stepLabel)}"><h3>${h(s.name)} ${lozenge(stepLabel, toLozengeClass(stepLabel))}</h3><pre data-testid="pipeline-step-log">${h(s.log.join('\n'))}</pre></section>`;
    })
    .join('');
  const stop =
    p.state === 'COMPLETED'
      ? ''
      : `<form method="post" action="${h(base)}/pipelines/results/${p.buildNumber}/stop"><button class="danger" data-testid="pipeline-stop">Stop</button></form>`;
  const variables = p.variables.length === 0 ? '' : `<p>Variables: ${p.variables.map((v) => `<code>${h(v.key)}</code>=${v.secured ? '<em>secured</em>' : h(v.value)}`).join(', ')}</p>`;
  return `<div data-testid="pipeline-run" data-build="${p.buildNumber}" data-state="${h(label)}"><p>${lozenge(label, toLozengeClass(label))} on <strong>${h(p.refName)}</strong> at <code>${h(p.commitHash.slice(0, 12))}</code>, pipeline <code>${h(toPipelineName(p))}</code>, started by ${userLink(p.creatorUuid)} on ${h(p.createdOn)}${p.completedOn ? `, completed ${h(p.completedOn)}` : ''}${p.terminatorUuid ? `, stopped by ${userLink(p.terminatorUuid)}` : ''}.</p>${variables}${stop}<p><a href="${h(base)}/pipelines">All runs</a></p>${steps}</div>`;
}
