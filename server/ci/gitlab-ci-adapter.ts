/**
 * GitLab CI, from GitLab's project webhooks: Pipeline events (`object_kind: "pipeline"`) and
 * Job events (`object_kind: "build"`). The `X-Gitlab-Event` header names them too, but the body
 * is enough. GitLab writes times as "2026-11-30 10:15:00 UTC" (older) or ISO 8601 (newer).
 * https://docs.gitlab.com/user/project/integrations/webhook_events/#pipeline-events
 * https://docs.gitlab.com/user/project/integrations/webhook_events/#job-events
 */
import { z } from 'zod';
import { commitHashSchema, emptyAttachments, type CiAdapter, type CiBuildState, type CiParseOutcome } from './ci-build-result';
import { CiPayloadError } from './errors';
import { parsePayload } from './parse-payload';
import { toRepositoryHint } from './repository-hint';

const GITLAB_STATES: Record<string, { state: CiBuildState; description?: string }> = {
  created: { state: 'queued' },
  waiting_for_resource: { state: 'queued', description: 'Waiting for a resource' },
  preparing: { state: 'queued' },
  pending: { state: 'queued' },
  scheduled: { state: 'queued', description: 'Scheduled' },
  waiting_for_callback: { state: 'running' },
  running: { state: 'running' },
  canceling: { state: 'running', description: 'Cancelling' },
  success: { state: 'success' },
  failed: { state: 'failure' },
  canceled: { state: 'cancelled' },
  skipped: { state: 'skipped' },
  manual: { state: 'not_built', description: 'Waiting for someone to start it by hand' },
};

const gitlabTimeSchema = z
  .string()
  .nullish()
  .transform((value, context) => {
    if (value === null || value === undefined || value === '') return undefined;
    const legacy = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/.exec(value);
    const iso = legacy ? `${legacy[1]}T${legacy[2]}Z` : value;
    const time = Date.parse(iso);
    if (Number.isNaN(time)) {
      context.addIssue({ code: 'custom', message: 'expected a time ("2026-11-30 10:15:00 UTC" or ISO 8601)' });
      return z.NEVER;
    }
    return new Date(time).toISOString();
  });

const projectSchema = z.looseObject({
  path_with_namespace: z.string().min(1),
  web_url: z.url(),
});

const pipelineEventSchema = z.looseObject({
  object_kind: z.literal('pipeline'),
  object_attributes: z.looseObject({
    id: z.number().int().nonnegative(),
    ref: z.string().nullish(),
    sha: commitHashSchema,
    status: z.string(),
    url: z.url().nullish(),
    created_at: gitlabTimeSchema,
    finished_at: gitlabTimeSchema,
    // Not in every GitLab version; when present it is the latest change of state.
    updated_at: gitlabTimeSchema.optional(),
  }),
  merge_request: z.looseObject({ iid: z.number().int().positive(), source_branch: z.string() }).nullish(),
  project: projectSchema,
});

const jobEventSchema = z.looseObject({
  object_kind: z.literal('build'),
  ref: z.string().nullish(),
  sha: commitHashSchema,
  build_id: z.number().int().nonnegative(),
  build_name: z.string().min(1),
  build_stage: z.string().nullish(),
  build_status: z.string(),
  build_allow_failure: z.boolean().nullish(),
  build_failure_reason: z.string().nullish(),
  build_created_at: gitlabTimeSchema,
  build_started_at: gitlabTimeSchema,
  build_finished_at: gitlabTimeSchema,
  pipeline_id: z.number().int().nonnegative(),
  project: projectSchema.optional(),
  repository: z.looseObject({ homepage: z.url().nullish(), url: z.string().nullish() }).nullish(),
});

function toState(status: string, field: string): { state: CiBuildState; description?: string } {
  const mapped = GITLAB_STATES[status];
  if (mapped === undefined) throw new CiPayloadError('Not a valid GitLab event', [`${field}: unknown status "${status.slice(0, 40)}"`]);
  return mapped;
}

function parsePipeline(body: unknown): CiParseOutcome {
  const event = parsePayload(pipelineEventSchema, body, 'GitLab pipeline event');
  const pipeline = event.object_attributes;
  const { state, description } = toState(pipeline.status, 'object_attributes.status');
  return {
    kind: 'build',
    result: {
      provider: 'gitlab',
      check: 'pipeline',
      name: 'GitLab pipeline',
      state,
      commit: pipeline.sha,
      repository: event.project.path_with_namespace,
      branch: event.merge_request?.source_branch ?? pipeline.ref ?? undefined,
      url: pipeline.url ?? `${event.project.web_url}/-/pipelines/${pipeline.id}`,
      description,
      occurredAt: pipeline.updated_at ?? pipeline.finished_at ?? pipeline.created_at,
      // A new pipeline on the same commit supersedes the earlier one; ids only grow.
      run: { number: pipeline.id, attempt: 1 },
      attachments: emptyAttachments(),
    },
  };
}

function parseJob(body: unknown): CiParseOutcome {
  const event = parsePayload(jobEventSchema, body, 'GitLab job event');
  const mapped = toState(event.build_status, 'build_status');
  let description = mapped.description;
  if (mapped.state === 'failure' && event.build_allow_failure === true) description = 'Failed (allowed to fail)';
  else if (mapped.state === 'failure' && event.build_failure_reason) description = `Failed: ${event.build_failure_reason.replaceAll('_', ' ')}`;
  const webUrl = event.project?.web_url ?? event.repository?.homepage ?? undefined;
  if (webUrl === undefined) throw new CiPayloadError('Not a valid GitLab job event', ['project.web_url: missing']);
  return {
    kind: 'build',
    result: {
      provider: 'gitlab',
      check: `job:${event.build_name}`,
      name: event.build_stage ? `${event.build_stage}: ${event.build_name}` : event.build_name,
      state: mapped.state,
      commit: event.sha,
      repository: event.project?.path_with_namespace ?? toRepositoryHint(webUrl),
      branch: event.ref ?? undefined,
      url: `${webUrl}/-/jobs/${event.build_id}`,
      description,
      occurredAt: event.build_finished_at ?? event.build_started_at ?? event.build_created_at,
      // A retried job gets a new, larger id.
      run: { number: event.build_id, attempt: 1 },
      attachments: emptyAttachments(),
    },
  };
}

export const gitlabCiAdapter: CiAdapter = {
  provider: 'gitlab',
  parse: ({ body }) => {
    const kind = typeof body === 'object' && body !== null ? (body as { object_kind?: unknown }).object_kind : undefined;
    if (kind === 'pipeline') return parsePipeline(body);
    if (kind === 'build') return parseJob(body);
    if (typeof kind === 'string') return { kind: 'ignored', reason: `GitLab ${kind.slice(0, 40)} events carry no build state` };
    throw new CiPayloadError('Not a valid GitLab event', ['object_kind: expected "pipeline" or "build"']);
  },
};
