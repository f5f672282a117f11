import { z } from 'zod';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { repoFields, toRepoName, toWorkspace } from './tool-inputs';
import { toPipelineLinks } from './pipeline-trigger';

/** The last `lines` lines of a log, without the trailing blank ones. */
export function toLogTail(log: string, lines: number): string {
  const all = log.replace(/\s+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}

export const pipelineFailedStepLog = defineTool({
  name: 'pipeline.failedStepLog',
  description: "Show the tail of the failed step's log of a pipeline (its {uuid} or build number; the latest failed run when omitted).",
  input: z.object({
    ...repoFields,
    pipeline: z.union([z.string().regex(/^\{[0-9a-f-]{36}\}$/i, 'must be a {uuid}'), z.number().int().positive()]).optional(),
    branch: z.string().min(1).max(255).optional().describe('With no pipeline given: the latest failed run of this branch'),
    lines: z.number().int().min(1).max(200).default(40),
  }),
  scopes: ['pipeline'],
  actsAs: 'installation',
  risk: 'read',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const recent = await ctx.client.pipelines.list(workspace, input.repo, { sort: '-created_on', max: 50, ...(input.branch ? { 'target.branch': input.branch } : {}) });
    const pipeline =
      typeof input.pipeline === 'string'
        ? await ctx.client.pipelines.get(workspace, input.repo, input.pipeline)
        : recent.find((p) => (input.pipeline === undefined ? p.state.result?.name === 'FAILED' : p.build_number === input.pipeline));
    if (!pipeline) throw new ToolError(`No ${input.pipeline === undefined ? 'failed ' : ''}pipeline${typeof input.pipeline === 'number' ? ` #${input.pipeline}` : ''} among the recent runs of ${toRepoName(input, ctx.tenant)}.`);
    const steps = await ctx.client.pipelines.listSteps(workspace, input.repo, pipeline.uuid);
    const failed = steps.find((s) => s.state.result?.name === 'FAILED' || s.state.result?.name === 'ERROR');
    if (!failed) return { summary: `Pipeline #${pipeline.build_number} has no failed step.`, links: toPipelineLinks(pipeline), data: { pipeline: pipeline.uuid, buildNumber: pipeline.build_number, step: null, stepName: null, tail: "" } };
    const log = await ctx.client.pipelines.getStepLog(workspace, input.repo, pipeline.uuid, failed.uuid);
    const tail = toLogTail(log, input.lines);
    return {
      summary: `Pipeline #${pipeline.build_number}, step "${failed.name ?? failed.uuid}" failed; the last lines of its log:\n${tail}`,
      links: toPipelineLinks(pipeline),
      data: { pipeline: pipeline.uuid, buildNumber: pipeline.build_number, step: failed.uuid, stepName: failed.name ?? null, tail },
    };
  },
});
