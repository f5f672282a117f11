import { z } from 'zod';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { pullRequestFields, toPullRequestLinks, toWorkspace } from './tool-inputs';

export const pullRequestDecline = defineTool({
  name: 'pullRequest.decline',
  description: 'Decline a pull request. Bitbucket cannot reopen a declined pull request.',
  input: z.object(pullRequestFields),
  scopes: ['pullrequest:write'],
  actsAs: 'installation',
  // Irreversible: https://support.atlassian.com/bitbucket-cloud/docs/decline-a-pull-request/
  risk: 'destructive',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const current = await ctx.client.pullRequests.get(workspace, input.repo, input.pullRequestId);
    if (current.state === 'DECLINED') {
      return { summary: `Pull request #${current.id} was already declined.`, links: toPullRequestLinks(current), data: { declined: false } };
    }
    if (current.state !== 'OPEN') throw new ToolError(`Pull request #${current.id} is ${current.state.toLowerCase()} and cannot be declined.`);
    const pr = await ctx.client.pullRequests.decline(workspace, input.repo, input.pullRequestId);
    return { summary: `Declined pull request #${pr.id} "${pr.title}".`, links: toPullRequestLinks(pr), data: { declined: true } };
  },
});
