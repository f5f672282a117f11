/**
 * CircleCI, from its outbound webhooks: `workflow-completed` and `job-completed` (the only two
 * events CircleCI sends, both terminal). The `id` identifies the event: CircleCI may deliver it
 * twice. https://circleci.com/docs/webhooks-reference/ and https://circleci.com/docs/webhooks/
 */
import { z } from 'zod';
import { commitHashSchema, emptyAttachments, type CiAdapter, type CiBuildState } from './ci-build-result';
import { CiPayloadError } from './errors';
import { parsePayload } from './parse-payload';
import { toRepositoryHint } from './repository-hint';

const STATUSES: Record<string, { state: CiBuildState; description?: string }> = {
  success: { state: 'success' },
  failed: { state: 'failure' },
  error: { state: 'error', description: 'The configuration or the infrastructure failed' },
  infrastructure_fail: { state: 'error', description: 'Infrastructure failure' },
  timedout: { state: 'failure', description: 'Timed out' },
  canceled: { state: 'cancelled' },
  unauthorized: { state: 'not_built', description: 'Not run: the person who triggered it may not run it' },
  not_run: { state: 'skipped', description: 'Not run' },
};

const circleCiEventSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string(),
  happened_at: z.iso.datetime({ offset: true }),
  project: z.looseObject({ slug: z.string().min(1), name: z.string().nullish() }),
  workflow: z.looseObject({
    id: z.string().min(1),
    name: z.string().min(1),
    status: z.string().nullish(),
    url: z.url(),
  }),
  job: z
    .looseObject({
      id: z.string().min(1),
      name: z.string().min(1),
      number: z.number().int().nonnegative().nullish(),
      status: z.string(),
    })
    .nullish(),
  pipeline: z.looseObject({
    number: z.number().int().nonnegative(),
    vcs: z.looseObject({
      origin_repository_url: z.string().nullish(),
      revision: commitHashSchema,
      branch: z.string().nullish(),
    }),
  }),
});

function toState(status: string | null | undefined, field: string): { state: CiBuildState; description?: string } {
  const mapped = status ? STATUSES[status] : undefined;
  if (mapped === undefined) throw new CiPayloadError('Not a valid CircleCI event', [`${field}: unknown status "${String(status).slice(0, 40)}"`]);
  return mapped;
}

export const circleCiAdapter: CiAdapter = {
  provider: 'circleci',
  parse: ({ body }) => {
    const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
    if (type !== 'workflow-completed' && type !== 'job-completed') {
      if (typeof type === 'string') return { kind: 'ignored', reason: `CircleCI ${type.slice(0, 40)} events carry no build state` };
      throw new CiPayloadError('Not a valid CircleCI event', ['type: expected "workflow-completed" or "job-completed"']);
    }
    const event = parsePayload(circleCiEventSchema, body, `CircleCI ${type} event`);
    const job = type === 'job-completed' ? event.job : undefined;
    if (type === 'job-completed' && !job) throw new CiPayloadError('Not a valid CircleCI job-completed event', ['job: missing']);
    const mapped = job ? toState(job.status, 'job.status') : toState(event.workflow.status, 'workflow.status');
    return {
      kind: 'build',
      result: {
        provider: 'circleci',
        check: job ? `job:${event.workflow.name}/${job.name}` : `workflow:${event.workflow.name}`,
        name: job ? `${event.workflow.name} / ${job.name}` : event.workflow.name,
        state: mapped.state,
        commit: event.pipeline.vcs.revision,
        repository: toRepositoryHint(event.pipeline.vcs.origin_repository_url) ?? toRepositoryHint(event.project.slug),
        branch: event.pipeline.vcs.branch ?? undefined,
        url: job?.number ? `${event.workflow.url}/jobs/${job.number}` : event.workflow.url,
        description: mapped.description,
        occurredAt: event.happened_at,
        // Re-running a workflow keeps the pipeline number; happened_at orders the attempts.
        run: { number: event.pipeline.number, attempt: 1 },
        deliveryId: event.id,
        attachments: emptyAttachments(),
      },
    };
  },
};
