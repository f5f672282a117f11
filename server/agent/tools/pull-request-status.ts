import { z } from 'zod';
import { isBitbucketFailure } from '../../bitbucket';
import { isReadyToMerge } from '../../rules';
import { defineTool } from './tool';
import { pullRequestFields, toPullRequestLinks, toWorkspace } from './tool-inputs';

export const pullRequestStatus = defineTool({
  name: 'pullRequest.status',
  description: 'Report whether a pull request can be merged: builds, approvals, requested changes, tasks.',
  input: z.object(pullRequestFields),
  scopes: ['pullrequest'],
  actsAs: 'installation',
  risk: 'read',
  async run(ctx, input) {
    const workspace = toWorkspace(input, ctx.tenant);
    const { repo, pullRequestId } = input;
    const pr = await ctx.client.pullRequests.get(workspace, repo, pullRequestId);
    const [statuses, tasks] = await Promise.all([
      ctx.client.pullRequests.listStatuses(workspace, repo, pullRequestId),
      ctx.client.pullRequests.listTasks(workspace, repo, pullRequestId),
    ]);
    // Reading branch restrictions needs repository:admin; without it the restriction checks read as not used.
    let restrictionsReadable = true;
    const restrictions = await ctx.client.branchRestrictions.list(workspace, repo).catch((error: unknown) => {
      if (!isBitbucketFailure(error, 'BITBUCKET_FORBIDDEN')) throw error;
      restrictionsReadable = false;
      return [];
    });
    const readiness = isReadyToMerge(pr, statuses, restrictions, pr.participants ?? [], tasks);
    const head =
      readiness.verdict === 'ready'
        ? `Pull request #${pr.id} is ready to merge.`
        : `Pull request #${pr.id} is ${readiness.verdict === 'waiting' ? 'not ready yet' : 'blocked'}: ${readiness.reasons.join(' ')}`;
    return {
      summary: restrictionsReadable ? head : `${head} (Branch restrictions were not readable, so only builds and state were checked.)`,
      links: toPullRequestLinks(pr),
      data: readiness,
    };
  },
});
