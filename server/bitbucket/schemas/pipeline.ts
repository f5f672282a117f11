import { z } from 'zod';
import { accountSchema, linkSchema, openEnum } from './common';

/**
 * Pipeline and step states nest: `{name: COMPLETED, result: {name: FAILED}}`,
 * `{name: IN_PROGRESS, stage: {name: RUNNING|PAUSED}}`. Names stay open: the spec lists them as
 * separate subtypes and Bitbucket has added some (EXPIRED, HALTED) over time.
 */
export const pipelineResultSchema = z.looseObject({
  name: openEnum(['SUCCESSFUL', 'FAILED', 'STOPPED', 'ERROR', 'EXPIRED']),
});

export const pipelineStateSchema = z.looseObject({
  name: openEnum(['PENDING', 'IN_PROGRESS', 'COMPLETED']),
  result: pipelineResultSchema.nullish(),
  stage: z.looseObject({ name: openEnum(['RUNNING', 'PAUSED', 'HALTED']) }).nullish(),
});
export type PipelineState = z.infer<typeof pipelineStateSchema>;

export const pipelineSelectorSchema = z.looseObject({
  type: openEnum(['branches', 'tags', 'bookmarks', 'default', 'custom', 'pull-requests']),
  pattern: z.string().nullish(),
});

/** `ref_name` is absent for commit targets and pull-request targets. */
export const pipelineTargetSchema = z.looseObject({
  type: z.string().optional(),
  ref_type: z.string().nullish(),
  ref_name: z.string().nullish(),
  commit: z.looseObject({ hash: z.string() }).nullish(),
  selector: pipelineSelectorSchema.nullish(),
});

/** openapi.json `pipeline_variable`: a secured variable's value "will be empty" (the sandbox omits it). */
export const pipelineVariableSchema = z.looseObject({
  key: z.string(),
  value: z.string().nullish(),
  secured: z.boolean().nullish(),
});
export type PipelineVariable = z.infer<typeof pipelineVariableSchema>;

/** `…/pipelines` items, `…/pipelines/{uuid}` and the `POST …/pipelines` answer. */
export const pipelineSchema = z.looseObject({
  uuid: z.string(),
  build_number: z.number().int(),
  state: pipelineStateSchema,
  target: pipelineTargetSchema,
  trigger: z.looseObject({ name: z.string().optional() }).nullish(),
  creator: accountSchema.nullish(),
  created_on: z.string(),
  completed_on: z.string().nullish(),
  build_seconds_used: z.number().nullish(),
  /** "The variables for the pipeline" (openapi.json); what the run was started with. */
  variables: z.array(pipelineVariableSchema).nullish(),
  links: z.looseObject({ html: linkSchema.optional() }).optional(),
});
export type Pipeline = z.infer<typeof pipelineSchema>;

/** `…/pipelines/{uuid}/steps[/{step_uuid}]`. Step results add NOT_RUN. */
export const pipelineStepSchema = z.looseObject({
  uuid: z.string(),
  name: z.string().nullish(),
  state: z.looseObject({
    name: openEnum(['PENDING', 'READY', 'IN_PROGRESS', 'COMPLETED']),
    result: z.looseObject({ name: openEnum(['SUCCESSFUL', 'FAILED', 'STOPPED', 'ERROR', 'NOT_RUN', 'EXPIRED']) }).nullish(),
  }),
  started_on: z.string().nullish(),
  completed_on: z.string().nullish(),
  duration_in_seconds: z.number().nullish(),
});
export type PipelineStep = z.infer<typeof pipelineStepSchema>;
