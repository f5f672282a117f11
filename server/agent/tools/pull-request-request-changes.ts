import { z } from 'zod';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { pullRequestFields, toPullRequestLinks, toWorkspace } from './tool-inputs';

export const pullRequestRequestChanges = defineTool({
  name: 'pullRequest.requestChanges',
  description: 'Request changes on a pull request as the person who asked.',
  input: z.object(pullRequestFields),
  scopes: ['pullrequest:write'],
  actsAs: 'user',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const pr = await ctx.client.pullRequests.get(workspace, input.repo, input.pullRequestId);
    if (pr.state !== 'OPEN') throw new ToolError(`Pull request #${pr.id} is ${pr.state.toLowerCase()}; changes can only be requested on open ones.`);
    const participant = await ctx.client.pullRequests.requestChanges(workspace, input.repo, input.pullRequestId);
    return { summary: `${participant.user.display_name ?? 'You'} requested changes on pull request #${pr.id}.`, links: toPullRequestLinks(pr) };
  },
});
