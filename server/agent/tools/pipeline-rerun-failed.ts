import { z } from 'zod';
import type { TriggerPipelineInput } from '../../bitbucket';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { branchName, repoFields, toRepoName, toWorkspace } from './tool-inputs';
import { toPipelineLinks } from './pipeline-trigger';
import { toRerunVariables, toSecuredNote } from './pipeline-rerun-variables';

const FAILED_RESULTS = new Set(['FAILED', 'ERROR']);
const TRIGGERABLE_SELECTORS = new Set(['custom', 'branches', 'default']);

export const pipelineRerunFailed = defineTool({
  name: 'pipeline.rerunFailed',
  description:
    'Run again the most recent failed pipeline of a branch (or of a pull request\'s source branch), with the same branch, pipeline selector and variables (secured values excepted).',
  input: z
    .object({
      ...repoFields,
      branch: branchName.optional(),
      pullRequestId: z.number().int().positive().optional().describe("Use this pull request's source branch"),
    })
    .refine((v) => (v.branch === undefined) !== (v.pullRequestId === undefined), 'give exactly one of branch or pullRequestId'),
  scopes: ['pipeline:write'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const branch =
      input.branch ?? (await ctx.client.pullRequests.get(workspace, input.repo, input.pullRequestId as number)).source.branch.name;
    const recent = await ctx.client.pipelines.list(workspace, input.repo, { 'target.branch': branch, sort: '-created_on', max: 50 });
    const failed = recent.find(
      (p) => p.target.ref_name === branch && p.state.name === 'COMPLETED' && FAILED_RESULTS.has(p.state.result?.name ?? ''),
    );
    if (!failed) throw new ToolError(`No failed pipeline on ${branch} in ${toRepoName(input, ctx.tenant)} to run again.`);
    const selector = failed.target.selector;
    const target: TriggerPipelineInput['target'] = {
      type: 'pipeline_ref_target',
      ref_type: 'branch',
      ref_name: branch,
      ...(selector && TRIGGERABLE_SELECTORS.has(selector.type)
        ? {
            selector: {
              type: selector.type as 'custom' | 'branches' | 'default',
              ...(selector.pattern ? { pattern: selector.pattern } : {}),
            },
          }
        : {}),
    };
    // The run itself carries its variables (openapi.json `pipeline`); the list may not (unverified).
    const { variables, secured } = toRerunVariables(await ctx.client.pipelines.get(workspace, input.repo, failed.uuid));
    const pipeline = await ctx.client.pipelines.trigger(workspace, input.repo, { target, ...(variables.length > 0 ? { variables } : {}) });
    return {
      summary: `Pipeline #${failed.build_number} failed on ${branch}; started #${pipeline.build_number} to run it again.${toSecuredNote(secured)}`,
      links: [...toPipelineLinks(pipeline), ...toPipelineLinks(failed)],
      data: { uuid: pipeline.uuid, buildNumber: pipeline.build_number, rerunOf: failed.uuid },
    };
  },
});
