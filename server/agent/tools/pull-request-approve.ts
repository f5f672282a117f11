import { z } from 'zod';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { pullRequestFields, toWorkspace } from './tool-inputs';

export const pullRequestApprove = defineTool({
  name: 'pullRequest.approve',
  description: 'Approve a pull request as the person who asked (never as the app).',
  input: z.object(pullRequestFields),
  scopes: ['pullrequest:write'],
  actsAs: 'user',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const pr = await ctx.client.pullRequests.get(workspace, input.repo, input.pullRequestId);
    if (pr.state !== 'OPEN') throw new ToolError(`Pull request #${pr.id} is ${pr.state.toLowerCase()}; only open ones can be approved.`);
    const participant = await ctx.client.pullRequests.approve(workspace, input.repo, input.pullRequestId);
    return {
      summary: `${participant.user.display_name ?? 'You'} approved pull request #${pr.id}.`,
      links: pr.links?.html ? [{ label: `Pull request #${pr.id}`, url: pr.links.html.href }] : [],
    };
  },
});
