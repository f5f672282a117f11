/**
 * GitHub Actions, from GitHub's own webhooks (`workflow_run` and `check_run` events, JSON content
 * type). The event name is the `X-GitHub-Event` header; `ping` is acknowledged and ignored.
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#workflow_run
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_run
 */
import { z } from 'zod';
import { commitHashSchema, type CiAdapter, type CiBuildState, type CiParseOutcome } from './ci-build-result';
import { emptyAttachments } from './ci-build-result';
import { CiPayloadError } from './errors';
import { getHeader, parsePayload } from './parse-payload';

const pullRequestRefSchema = z.looseObject({
  number: z.number().int().positive(),
  head: z.looseObject({ ref: z.string() }).optional(),
});

const repositorySchema = z.looseObject({ full_name: z.string().min(1) });

const githubStatusSchema = z.enum(['requested', 'queued', 'waiting', 'pending', 'in_progress', 'completed']);
const githubConclusionSchema = z
  .enum(['success', 'failure', 'neutral', 'cancelled', 'timed_out', 'action_required', 'stale', 'skipped', 'startup_failure'])
  .nullish();

const workflowRunEventSchema = z.looseObject({
  action: z.string(),
  workflow_run: z.looseObject({
    id: z.number().int(),
    name: z.string().nullish(),
    path: z.string().nullish(),
    head_branch: z.string().nullish(),
    head_sha: commitHashSchema,
    run_number: z.number().int().nonnegative(),
    run_attempt: z.number().int().positive().default(1),
    status: githubStatusSchema,
    conclusion: githubConclusionSchema,
    html_url: z.url(),
    display_title: z.string().nullish(),
    updated_at: z.iso.datetime({ offset: true }).nullish(),
    pull_requests: z.array(pullRequestRefSchema).default([]),
  }),
  workflow: z.looseObject({ name: z.string().nullish(), path: z.string().nullish() }).nullish(),
  repository: repositorySchema,
});

const checkRunEventSchema = z.looseObject({
  action: z.string(),
  check_run: z.looseObject({
    id: z.number().int(),
    name: z.string().min(1),
    head_sha: commitHashSchema,
    status: githubStatusSchema,
    conclusion: githubConclusionSchema,
    html_url: z.url().nullish(),
    details_url: z.url().nullish(),
    started_at: z.iso.datetime({ offset: true }).nullish(),
    completed_at: z.iso.datetime({ offset: true }).nullish(),
    output: z.looseObject({ title: z.string().nullish() }).nullish(),
    check_suite: z.looseObject({ head_branch: z.string().nullish() }).nullish(),
    app: z.looseObject({ slug: z.string().nullish() }).nullish(),
    pull_requests: z.array(pullRequestRefSchema).default([]),
  }),
  repository: repositorySchema,
});

type GithubStatus = z.infer<typeof githubStatusSchema>;
type GithubConclusion = z.infer<typeof githubConclusionSchema>;

const CONCLUSIONS: Record<NonNullable<GithubConclusion>, { state: CiBuildState; description?: string }> = {
  success: { state: 'success' },
  failure: { state: 'failure' },
  timed_out: { state: 'failure', description: 'Timed out' },
  startup_failure: { state: 'error', description: 'The workflow failed to start' },
  cancelled: { state: 'cancelled' },
  stale: { state: 'cancelled', description: 'Marked stale by GitHub' },
  skipped: { state: 'skipped' },
  // Neutral is neither a pass nor a fail; Bitbucket has no such state, and green would be a lie.
  neutral: { state: 'skipped', description: 'Finished with a neutral result' },
  action_required: { state: 'not_built', description: 'Waiting for someone to approve the run on GitHub' },
};

function toState(status: GithubStatus, conclusion: GithubConclusion): { state: CiBuildState; description?: string } {
  if (status === 'in_progress') return { state: 'running' };
  if (status !== 'completed') return { state: 'queued' };
  if (conclusion === null || conclusion === undefined) throw new CiPayloadError('A completed GitHub run has no conclusion');
  return CONCLUSIONS[conclusion];
}

function parseWorkflowRun(body: unknown): CiParseOutcome {
  const event = parsePayload(workflowRunEventSchema, body, 'GitHub workflow_run event');
  const run = event.workflow_run;
  const name = event.workflow?.name ?? run.name ?? run.path ?? `workflow ${run.id}`;
  const { state, description } = toState(run.status, run.conclusion);
  const pullRequest = run.pull_requests[0];
  return {
    kind: 'build',
    result: {
      provider: 'github-actions',
      // The workflow file is what stays put when someone renames the workflow.
      check: `workflow:${event.workflow?.path ?? run.path ?? name}`,
      name,
      state,
      commit: run.head_sha,
      repository: event.repository.full_name,
      branch: pullRequest?.head?.ref ?? run.head_branch ?? undefined,
      pullRequestId: pullRequest?.number,
      url: run.html_url,
      description,
      occurredAt: run.updated_at ?? undefined,
      run: { number: run.run_number, attempt: run.run_attempt },
      attachments: emptyAttachments(),
    },
  };
}

function parseCheckRun(body: unknown): CiParseOutcome {
  const event = parsePayload(checkRunEventSchema, body, 'GitHub check_run event');
  // A person asked GitHub to run it again or clicked a button: a new check run will report.
  if (event.action === 'rerequested' || event.action === 'requested_action') {
    return { kind: 'ignored', reason: `check_run ${event.action} carries no build state` };
  }
  const check = event.check_run;
  const { state, description } = toState(check.status, check.conclusion);
  const url = check.details_url ?? check.html_url;
  if (url === null || url === undefined) throw new CiPayloadError('Not a valid GitHub check_run event', ['check_run.html_url: missing']);
  const pullRequest = check.pull_requests[0];
  return {
    kind: 'build',
    result: {
      provider: 'github-actions',
      check: `check:${check.app?.slug ?? 'github'}/${check.name}`,
      name: check.name,
      state,
      commit: check.head_sha,
      repository: event.repository.full_name,
      branch: pullRequest?.head?.ref ?? check.check_suite?.head_branch ?? undefined,
      pullRequestId: pullRequest?.number,
      url,
      description: description ?? check.output?.title ?? undefined,
      occurredAt: check.completed_at ?? check.started_at ?? undefined,
      // Every re-run is a new check run with a larger id.
      run: { number: check.id, attempt: 1 },
      attachments: emptyAttachments(),
    },
  };
}

export const githubActionsCiAdapter: CiAdapter = {
  provider: 'github-actions',
  parse: ({ body, headers }) => {
    const event = getHeader(headers, 'x-github-event');
    if (event === 'ping') return { kind: 'ignored', reason: 'GitHub ping' };
    if (event === 'workflow_run') return parseWorkflowRun(body);
    if (event === 'check_run') return parseCheckRun(body);
    if (event === undefined) throw new CiPayloadError('Missing the X-GitHub-Event header (send workflow_run or check_run events)');
    // A hook subscribed to more events than Bosun reads should not show as failing on GitHub.
    return { kind: 'ignored', reason: `GitHub event "${event.slice(0, 40)}" is not one Bosun reads (workflow_run, check_run)` };
  },
};
