import { z } from 'zod';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { repoFields, toRepoName, toWorkspace } from './tool-inputs';
import { toPipelineLinks } from './pipeline-trigger';

export const pipelineStop = defineTool({
  name: 'pipeline.stop',
  description: 'Stop a running pipeline, given its {uuid} or build number.',
  input: z.object({
    ...repoFields,
    pipeline: z.union([z.string().regex(/^\{[0-9a-f-]{36}\}$/i, 'must be a {uuid}'), z.number().int().positive()]).describe('Pipeline {uuid} or build number'),
  }),
  scopes: ['pipeline:write'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    let uuid: string;
    if (typeof input.pipeline === 'number') {
      const recent = await ctx.client.pipelines.list(workspace, input.repo, { sort: '-created_on', max: 100 });
      const found = recent.find((p) => p.build_number === input.pipeline);
      if (!found) throw new ToolError(`No recent pipeline #${input.pipeline} in ${toRepoName(input, ctx.tenant)}.`);
      uuid = found.uuid;
    } else {
      uuid = input.pipeline;
    }
    const pipeline = await ctx.client.pipelines.get(workspace, input.repo, uuid);
    if (pipeline.state.name === 'COMPLETED') {
      return { summary: `Pipeline #${pipeline.build_number} already finished (${pipeline.state.result?.name ?? 'done'}).`, links: toPipelineLinks(pipeline) };
    }
    await ctx.client.pipelines.stop(workspace, input.repo, uuid);
    return { summary: `Stopping pipeline #${pipeline.build_number} in ${toRepoName(input, ctx.tenant)}.`, links: toPipelineLinks(pipeline) };
  },
});
