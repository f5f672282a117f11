import { getUserByUuid } from '../state/lookups';
import type { Pipeline, PipelineStep, Repository } from '../state/types';
import { type ApiContext, toApiUrl, toHtmlUrl, toLink } from './api-context';
import { toUser } from './to-account';
import { toCommitLinks } from './to-commit';
import { toFullName, toRepositorySummary } from './to-repository';

const seconds = (from: string | null, to: string | null) => (from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)) : 0);
const lower = (s: string) => s.toLowerCase();

function toPipelineState(ctx: ApiContext, p: Pipeline): Record<string, unknown> {
  if (p.state === 'PENDING') return { type: 'pipeline_state_pending', name: 'PENDING' };
  if (p.state === 'IN_PROGRESS') return { type: 'pipeline_state_in_progress', name: 'IN_PROGRESS', stage: { type: 'pipeline_state_in_progress_running', name: 'RUNNING' } };
  const result = p.result ?? 'SUCCESSFUL';
  return {
    type: 'pipeline_state_completed',
    name: 'COMPLETED',
    result: {
      type: `pipeline_state_completed_${lower(result)}`,
      name: result,
      ...(result === 'STOPPED' && p.terminatorUuid ? { terminator: toUser(ctx, getUserByUuid(ctx.state, p.terminatorUuid)) } : {}),
    },
  };
}

export function toPipeline(ctx: ApiContext, repo: Repository, p: Pipeline): Record<string, unknown> {
  const fullName = toFullName(ctx, repo);
  const self = `/repositories/${fullName}/pipelines/${encodeURIComponent(p.uuid)}`;
  return {
    type: 'pipeline',
    uuid: p.uuid,
    repository: toRepositorySummary(ctx, repo),
    state: toPipelineState(ctx, p),
    build_number: p.buildNumber,
    creator: toUser(ctx, getUserByUuid(ctx.state, p.creatorUuid)),
    created_on: p.createdOn,
    ...(p.completedOn ? { completed_on: p.completedOn } : {}),
    target: {
      type: 'pipeline_ref_target',
      ref_type: 'branch',
      ref_name: p.refName,
      selector: { type: p.selector.type, ...(p.selector.pattern !== null ? { pattern: p.selector.pattern } : {}) },
      commit: { type: 'commit', hash: p.commitHash, links: toCommitLinks(ctx, repo, p.commitHash) },
    },
    trigger: { type: 'pipeline_trigger_manual', name: 'MANUAL' },
    variables: p.variables.map((v) => ({ type: 'pipeline_variable', key: v.key, secured: v.secured, ...(v.secured ? {} : { value: v.value }) })),
    run_number: 1,
    duration_in_seconds: seconds(p.createdOn, p.completedOn),
    build_seconds_used: p.steps.reduce((n, s) => n + seconds(s.startedOn, s.completedOn), 0),
    first_successful: false,
    expired: false,
    has_variables: p.variables.length > 0,
    // openapi.json makes pipeline links `object`s, so each carries a `type` (captures show none).
    links: {
      type: 'pipelines_pipeline_links',
      self: { type: 'pipelines_links_section_href', href: toApiUrl(ctx, self) },
      steps: { type: 'pipelines_links_section_href', href: toApiUrl(ctx, `${self}/steps`) },
      html: { type: 'pipelines_links_section_href', href: toHtmlUrl(ctx, `/${fullName}/pipelines/results/${p.buildNumber}`) },
    },
  };
}

function toStepState(s: PipelineStep): Record<string, unknown> {
  if (s.state !== 'COMPLETED') return { type: `pipeline_step_state_${lower(s.state)}`, name: s.state };
  const result = s.result ?? 'SUCCESSFUL';
  return { type: 'pipeline_step_state_completed', name: 'COMPLETED', result: { type: `pipeline_step_state_completed_${lower(result)}`, name: result } };
}

export function toPipelineStep(ctx: ApiContext, repo: Repository, p: Pipeline, s: PipelineStep): Record<string, unknown> {
  return {
    type: 'pipeline_step',
    uuid: s.uuid,
    name: s.name,
    pipeline: { type: 'pipeline', uuid: p.uuid },
    state: toStepState(s),
    ...(s.startedOn ? { started_on: s.startedOn } : {}),
    ...(s.completedOn ? { completed_on: s.completedOn } : {}),
    duration_in_seconds: seconds(s.startedOn, s.completedOn),
    image: { name: 'atlassian/default-image:4' },
    script_commands: s.log.filter((l) => l.startsWith('+ ')).map((l) => ({ name: l.slice(2), command: l.slice(2) })),
    links: {
      self: toLink(toApiUrl(ctx, `/repositories/${toFullName(ctx, repo)}/pipelines/${encodeURIComponent(p.uuid)}/steps/${encodeURIComponent(s.uuid)}`)),
    },
  };
}
