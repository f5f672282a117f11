import { z } from 'zod';
import type { Pipeline } from '../../bitbucket';
import { defineTool } from './tool';
import { repoFields, toRepoName, toWorkspace } from './tool-inputs';
import { toPipelineLinks } from './pipeline-trigger';

/** "#12 main FAILED": the state a person reads, the result once the run has one. */
export function toPipelineLine(pipeline: Pipeline): string {
  const state = pipeline.state.result?.name ?? pipeline.state.name;
  const ref = pipeline.target.ref_name ?? pipeline.target.commit?.hash?.slice(0, 12) ?? '';
  return `#${pipeline.build_number} ${ref} ${state} (${pipeline.created_on})`;
}

export const pipelineList = defineTool({
  name: 'pipeline.list',
  description:
    "List the recent Pipelines runs of a repository, newest first, optionally only those of one branch or of a pull request (its source branch).",
  input: z
    .object({
      ...repoFields,
      branch: z.string().min(1).max(255).optional().describe('Only runs for this branch'),
      pullRequestId: z.number().int().positive().optional().describe("Only runs for this pull request's source branch"),
      limit: z.number().int().min(1).max(50).default(10),
    })
    .refine((v) => v.branch === undefined || v.pullRequestId === undefined, 'give a branch or a pullRequestId, not both'),
  scopes: ['pipeline'],
  actsAs: 'installation',
  risk: 'read',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const branch =
      input.pullRequestId !== undefined ? (await ctx.client.pullRequests.get(workspace, input.repo, input.pullRequestId)).source.branch.name : input.branch;
    const runs = await ctx.client.pipelines.list(workspace, input.repo, {
      sort: '-created_on',
      max: input.limit,
      ...(branch ? { 'target.branch': branch } : {}),
    });
    const where = `${toRepoName(input, ctx.tenant)}${branch ? ` on ${branch}` : ''}${input.pullRequestId !== undefined ? ` (PR #${input.pullRequestId})` : ''}`;
    if (runs.length === 0) return { summary: `No Pipelines runs in ${where}.`, links: [], data: { pipelines: [] } };
    return {
      summary: `Recent Pipelines runs in ${where}:\n${runs.map(toPipelineLine).join('\n')}`,
      links: runs.flatMap(toPipelineLinks).slice(0, 5),
      data: {
        pipelines: runs.map((p) => ({ uuid: p.uuid, buildNumber: p.build_number, state: p.state.name, result: p.state.result?.name ?? null, branch: p.target.ref_name ?? null, createdOn: p.created_on })),
      },
    };
  },
});
