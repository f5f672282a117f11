import { z } from 'zod';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { pullRequestFields, toWorkspace } from './tool-inputs';

export const pullRequestUnapprove = defineTool({
  name: 'pullRequest.unapprove',
  description: 'Withdraw the approval of the person who asked (never the app).',
  input: z.object(pullRequestFields),
  scopes: ['pullrequest:write'],
  actsAs: 'user',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const pr = await ctx.client.pullRequests.get(workspace, input.repo, input.pullRequestId);
    if (pr.state !== 'OPEN') throw new ToolError(`Pull request #${pr.id} is ${pr.state.toLowerCase()}; approvals of closed ones cannot change.`);
    await ctx.client.pullRequests.unapprove(workspace, input.repo, input.pullRequestId);
    return {
      summary: `Withdrew the approval of pull request #${pr.id}.`,
      links: pr.links?.html ? [{ label: `Pull request #${pr.id}`, url: pr.links.html.href }] : [],
    };
  },
});
