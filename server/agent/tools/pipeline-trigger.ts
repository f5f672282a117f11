import { z } from 'zod';
import type { Pipeline, TriggerPipelineInput } from '../../bitbucket';
import { defineTool, type ToolLink } from './tool';
import { branchName, repoFields, toRepoName, toWorkspace } from './tool-inputs';

export const pipelineSelectorInput = z.object({
  type: z.enum(['custom', 'branches', 'default']),
  pattern: z.string().min(1).max(255).optional(),
});

export function toPipelineLinks(pipeline: Pipeline): ToolLink[] {
  const href = pipeline.links?.html?.href;
  return href ? [{ label: `Pipeline #${pipeline.build_number}`, url: href }] : [];
}

export const pipelineTrigger = defineTool({
  name: 'pipeline.trigger',
  description: "Start a Bitbucket Pipelines run on a branch (its head, or a given commit), optionally a custom pipeline with variables.",
  input: z.object({
    ...repoFields,
    branch: branchName,
    commit: z.string().regex(/^[0-9a-f]{7,40}$/i).optional(),
    selector: pipelineSelectorInput.optional().describe('Which pipeline of bitbucket-pipelines.yml; the branch default when omitted'),
    variables: z
      .array(z.object({ key: z.string().min(1).max(255), value: z.string().max(10_000), secured: z.boolean().optional() }))
      .max(50)
      .optional(),
  }),
  scopes: ['pipeline:write'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const target: TriggerPipelineInput['target'] = {
      type: 'pipeline_ref_target',
      ref_type: 'branch',
      ref_name: input.branch,
      ...(input.commit !== undefined ? { commit: { type: 'commit', hash: input.commit } } : {}),
      ...(input.selector !== undefined ? { selector: input.selector } : {}),
    };
    const pipeline = await ctx.client.pipelines.trigger(toWorkspace(input, ctx.tenant), input.repo, {
      target,
      ...(input.variables !== undefined ? { variables: input.variables } : {}),
    });
    return {
      summary: `Started pipeline #${pipeline.build_number} on ${input.branch} in ${toRepoName(input, ctx.tenant)}.`,
      links: toPipelineLinks(pipeline),
      data: { uuid: pipeline.uuid, buildNumber: pipeline.build_number },
    };
  },
});
