import { z } from 'zod';
import { ToolError } from '../errors';
import { defineTool } from './tool';
import { mergeStrategyInput, pullRequestFields, toPullRequestLinks, toWorkspace } from './tool-inputs';

export const pullRequestMerge = defineTool({
  name: 'pullRequest.merge',
  description: 'Merge an open pull request now, with an optional merge strategy. A pull request that is already merged counts as done.',
  input: z.object({
    ...pullRequestFields,
    strategy: mergeStrategyInput.optional(),
    message: z.string().max(5_000).optional().describe('Merge commit message'),
    closeSourceBranch: z.boolean().optional(),
  }),
  scopes: ['pullrequest:write'],
  actsAs: 'installation',
  risk: 'write',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const merged = (pr: typeof current) => ({
      summary: `Merged pull request #${pr.id} into ${pr.destination.branch.name}${input.strategy ? ` (${input.strategy})` : ''}.`,
      links: toPullRequestLinks(pr),
      data: { merged: true, mergeCommit: pr.merge_commit?.hash ?? null },
    });
    // Re-check first: a merge that already happened (a retry, a second click) must not be attempted again.
    const current = await ctx.client.pullRequests.get(workspace, input.repo, input.pullRequestId);
    // This very step merged it before its process died (Bitbucket answered, Bosun never recorded it):
    // done, with the result the first run would have returned.
    if (current.state === 'MERGED' && ctx.step?.mayBeApplied) return merged(current);
    if (current.state === 'MERGED') {
      return {
        summary: `Pull request #${current.id} is already merged.`,
        links: toPullRequestLinks(current),
        data: { merged: false, mergeCommit: current.merge_commit?.hash ?? null },
      };
    }
    if (current.state !== 'OPEN') throw new ToolError(`Pull request #${current.id} is ${current.state.toLowerCase()} and cannot be merged.`);
    if (current.draft) throw new ToolError(`Pull request #${current.id} is a draft; mark it ready for review before merging.`);
    const pr = await ctx.client.pullRequests.merge(workspace, input.repo, input.pullRequestId, {
      ...(input.strategy !== undefined ? { merge_strategy: input.strategy } : {}),
      ...(input.message !== undefined ? { message: input.message } : {}),
      ...(input.closeSourceBranch !== undefined ? { close_source_branch: input.closeSourceBranch } : {}),
    });
    return merged(pr);
  },
});
