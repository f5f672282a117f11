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
    const approved = (displayName: string | undefined) => ({
      summary: `${displayName ?? 'You'} approved pull request #${pr.id}.`,
      links: pr.links?.html ? [{ label: `Pull request #${pr.id}`, url: pr.links.html.href }] : [],
    });
    // Safe to repeat, at no extra call: the PR read above lists its participants, and an approval
    // already there by this person (a retried step, a second click) is the effect done.
    const mine = ctx.actor.userUuid === null ? undefined : pr.participants?.find((p) => p.user.uuid === ctx.actor.userUuid && p.approved);
    if (mine && (pr.state === 'OPEN' || ctx.step?.mayBeApplied)) return approved(mine.user.display_name);
    if (pr.state !== 'OPEN') throw new ToolError(`Pull request #${pr.id} is ${pr.state.toLowerCase()}; only open ones can be approved.`);
    const participant = await ctx.client.pullRequests.approve(workspace, input.repo, input.pullRequestId);
    return approved(participant.user.display_name);
  },
});
