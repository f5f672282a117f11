import { z } from 'zod';
import type { AutoMergeStore } from '../stores/auto-merge-store';
import { defineTool } from './tool';
import { pullRequestFields, toPullRequestLinks, toRepoName, toWorkspace } from './tool-inputs';

export function createPullRequestCancelAutoMerge(deps: { autoMerges: AutoMergeStore }) {
  return defineTool({
    name: 'pullRequest.cancelAutoMerge',
    description: 'Cancel a pending "merge when green" on a pull request.',
    input: z.object(pullRequestFields),
    scopes: ['pullrequest'],
    actsAs: 'installation',
    risk: 'write',
    async run(ctx, input) {
      const pr = await ctx.client.pullRequests.get(toWorkspace(input, ctx.tenant), input.repo, input.pullRequestId);
      const fullName = pr.destination.repository?.full_name ?? toRepoName(input, ctx.tenant);
      const ended = await deps.autoMerges.finish(
        ctx.tenant.clientKey,
        { repositoryFullName: fullName, pullRequestId: pr.id },
        { state: 'cancelled', reason: 'Cancelled on request' },
        ctx.now(),
      );
      return {
        summary: ended ? `Cancelled the automatic merge of pull request #${pr.id}.` : `Pull request #${pr.id} had no automatic merge pending.`,
        links: toPullRequestLinks(pr),
        data: { cancelled: ended !== null },
      };
    },
  });
}
