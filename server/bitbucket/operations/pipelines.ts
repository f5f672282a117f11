import type { HttpTransport } from '../http';
import { paginate, type PaginateOptions } from '../paginate';
import { toPathSegment, toPipelinePath, toRepositoryPath } from '../paths';
import { pipelineSchema, pipelineStepSchema, type Pipeline, type PipelineStep } from '../schemas/pipeline';

export interface ListPipelinesOptions {
  /** `created_on`, `-created_on` (newest first), `run_creation_date`, `creator.uuid`. */
  sort?: string;
  /** Only pipelines run for this branch. */
  'target.branch'?: string;
  max?: number;
}

export interface TriggerPipelineInput {
  target: {
    type: 'pipeline_ref_target';
    ref_type: 'branch';
    ref_name: string;
    /** Run this commit of the branch instead of its head. */
    commit?: { type: 'commit'; hash: string };
    /** Which definition in bitbucket-pipelines.yml; omitted, the branch's own (or default). */
    selector?: { type: 'custom' | 'branches' | 'default'; pattern?: string };
  };
  /** Only for custom pipelines that declare them. */
  variables?: Array<{ key: string; value: string; secured?: boolean }>;
}

export interface PipelinesOperations {
  /** `GET …/pipelines`, up to `max` (default 1,000: pass a small `max` with `sort: '-created_on'`). */
  list(workspace: string, repoSlug: string, options?: ListPipelinesOptions): Promise<Pipeline[]>;
  /** `GET …/pipelines/{pipeline_uuid}`; the `{uuid}` keeps its braces. */
  get(workspace: string, repoSlug: string, pipelineUuid: string): Promise<Pipeline>;
  /** `POST …/pipelines`: starts a run (not retried once sent: a repeat would start a second one). */
  trigger(workspace: string, repoSlug: string, input: TriggerPipelineInput): Promise<Pipeline>;
  /** `POST …/pipelines/{pipeline_uuid}/stopPipeline`; asking twice is harmless, so it is retried. */
  stop(workspace: string, repoSlug: string, pipelineUuid: string): Promise<void>;
  /** `GET …/pipelines/{pipeline_uuid}/steps`. */
  listSteps(workspace: string, repoSlug: string, pipelineUuid: string, options?: PaginateOptions): Promise<PipelineStep[]>;
  /** `GET …/pipelines/{pipeline_uuid}/steps/{step_uuid}`. */
  getStep(workspace: string, repoSlug: string, pipelineUuid: string, stepUuid: string): Promise<PipelineStep>;
  /**
   * `GET …/steps/{step_uuid}/log`: the raw log text. Once a step completes Bitbucket redirects
   * (307) to long-term storage on another host, which is fetched without our credentials.
   */
  getStepLog(workspace: string, repoSlug: string, pipelineUuid: string, stepUuid: string): Promise<string>;
}

/** Builds the `pipelines` group of the client. */
export function createPipelinesOperations(http: HttpTransport): PipelinesOperations {
  const stepPath = (workspace: string, repoSlug: string, pipelineUuid: string, stepUuid: string) =>
    `${toPipelinePath(workspace, repoSlug, pipelineUuid)}/steps/${toPathSegment(stepUuid, 'step uuid')}`;
  return {
    list: async (workspace, repoSlug, options = {}) =>
      paginate(
        http,
        {
          path: `${toRepositoryPath(workspace, repoSlug)}/pipelines`,
          query: { sort: options.sort, 'target.branch': options['target.branch'] },
        },
        pipelineSchema,
        { max: options.max },
      ),
    get: async (workspace, repoSlug, pipelineUuid) =>
      http.sendJson({ method: 'GET', path: toPipelinePath(workspace, repoSlug, pipelineUuid) }, pipelineSchema),
    trigger: async (workspace, repoSlug, input) =>
      http.sendJson({ method: 'POST', path: `${toRepositoryPath(workspace, repoSlug)}/pipelines`, body: input }, pipelineSchema),
    stop: async (workspace, repoSlug, pipelineUuid) => {
      await http.send({
        method: 'POST',
        path: `${toPipelinePath(workspace, repoSlug, pipelineUuid)}/stopPipeline`,
        retry: 'idempotent',
      });
    },
    listSteps: async (workspace, repoSlug, pipelineUuid, options) =>
      paginate(http, { path: `${toPipelinePath(workspace, repoSlug, pipelineUuid)}/steps` }, pipelineStepSchema, options),
    getStep: async (workspace, repoSlug, pipelineUuid, stepUuid) =>
      http.sendJson({ method: 'GET', path: stepPath(workspace, repoSlug, pipelineUuid, stepUuid) }, pipelineStepSchema),
    getStepLog: async (workspace, repoSlug, pipelineUuid, stepUuid) =>
      http.sendText({
        method: 'GET',
        path: `${stepPath(workspace, repoSlug, pipelineUuid, stepUuid)}/log`,
        foreignRedirects: 'unsigned',
      }),
  };
}
