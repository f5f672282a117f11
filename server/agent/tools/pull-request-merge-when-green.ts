import { z } from 'zod';
import { ToolError } from '../errors';
import type { AutoMergeStore } from '../stores/auto-merge-store';
import { defineTool } from './tool';
import { mergeStrategyInput, pullRequestFields, toPullRequestLinks, toRepoName, toWorkspace } from './tool-inputs';

/**
 * Records a pending auto-merge; the job layer re-checks it with `isReadyToMerge` on each status
 * webhook. Bitbucket has no API to arm its own "merge when builds pass" (REFERENCE.md §7).
 */
export function createPullRequestMergeWhenGreen(deps: { autoMerges: AutoMergeStore }) {
  return defineTool({
    name: 'pullRequest.mergeWhenGreen',
    description: 'Merge a pull request automatically once its builds pass and its merge checks are met.',
    input: z.object({ ...pullRequestFields, strategy: mergeStrategyInput.optional() }),
    // It will merge later as the installation, so it needs the merge scope now.
    scopes: ['pullrequest:write'],
    actsAs: 'installation',
    risk: 'write',
    async run(ctx, input) {
      const workspace = toWorkspace(input, ctx.tenant);
      const pr = await ctx.client.pullRequests.get(workspace, input.repo, input.pullRequestId);
      if (pr.state === 'MERGED') return { summary: `Pull request #${pr.id} is already merged.`, links: toPullRequestLinks(pr) };
      if (pr.state !== 'OPEN') throw new ToolError(`Pull request #${pr.id} is ${pr.state.toLowerCase()} and cannot be merged.`);
      const { autoMerge, created } = await deps.autoMerges.ensurePending(
        {
          clientKey: ctx.tenant.clientKey,
          repositoryFullName: pr.destination.repository?.full_name ?? toRepoName(input, ctx.tenant),
          repositoryUuid: pr.destination.repository?.uuid ?? null,
          pullRequestId: pr.id,
          mergeStrategy: input.strategy ?? null,
          requestedByUuid: ctx.actor.userUuid,
          requestedByAccountId: ctx.actor.accountId,
        },
        ctx.now(),
      );
      return {
        summary: created
          ? `Bosun will merge pull request #${pr.id} once its builds pass and its merge checks are met.`
          : `Pull request #${pr.id} is already set to merge when green.`,
        links: toPullRequestLinks(pr),
        data: { autoMergeId: autoMerge.id, created },
        // A PR that is green already merges now, not at its next webhook.
        followUps: autoMerge.repositoryUuid ? [{ job: 'pullrequest.sync', payload: { repositoryUuid: autoMerge.repositoryUuid, pullRequestId: pr.id } }] : [],
      };
    },
  });
}
