import { z } from 'zod';
import { ToolError } from '../errors';
import type { MergeQueuePort } from './merge-queue-port';
import { loadPullRequest, toLandingText, toPlaceText, toQueueKey, toQueueLanding, toQueuePlace } from './merge-queue-target';
import { defineTool } from './tool';
import { branchName, repoFields, toPullRequestLinks, toRepoName } from './tool-inputs';

/** Where a pull request is in its queue, or what a branch's queue holds. Reads only. */
export function createMergeQueueStatus(deps: { mergeQueue: MergeQueuePort }) {
  return defineTool({
    name: 'mergeQueue.status',
    description: "Show a pull request's place in its merge queue, or a branch's queue (order, batches, ETA), and how the queue merges there (strategy, source-branch closing).",
    input: z.object({
      ...repoFields,
      pullRequestId: z.number().int().positive().optional().describe('Pull request id; omit to show a branch'),
      branch: branchName.optional().describe('Destination branch whose queue to show (with no pull request)'),
    }),
    scopes: ['pullrequest'],
    actsAs: 'installation',
    risk: 'read',
    async run(ctx, input) {
      if (input.pullRequestId !== undefined) {
        const pr = await loadPullRequest(ctx, { ...input, pullRequestId: input.pullRequestId });
        const key = toQueueKey(ctx, pr, input);
        const [summary, policy] = await Promise.all([deps.mergeQueue.load(key), deps.mergeQueue.loadLandingPolicy(key)]);
        const landing = toQueueLanding(policy, { closeSourceBranch: pr.close_source_branch ?? false });
        const place = summary ? toQueuePlace(summary, pr.id) : null;
        const left = summary?.recentlyLeft.find((e) => e.prId === pr.id);
        const text = place?.position
          ? `#${pr.id} is at ${toPlaceText(place)}${place.etaAt ? `; expected to land around ${place.etaAt.slice(11, 16)} UTC` : ''}.`
          : left
            ? `#${pr.id} is not queued: it was ${left.state}${left.reason ? ` (${left.reason})` : ''}.`
            : `#${pr.id} is not in the ${key.branch} merge queue.`;
        return { summary: `${text} ${toLandingText(key.branch, landing, pr.id)}`, links: toPullRequestLinks(pr), data: { place, queue: summary, landing } };
      }
      if (!input.branch) throw new ToolError('Say which pull request or which branch, like "queue of main".');
      const key = { clientKey: ctx.tenant.clientKey, repository: toRepoName(input, ctx.tenant), branch: input.branch };
      const [summary, policy] = await Promise.all([deps.mergeQueue.load(key), deps.mergeQueue.loadLandingPolicy(key)]);
      const landing = toQueueLanding(policy);
      const order = summary?.entries.map((e) => `#${e.prId}`).join(', ');
      const text = !summary || summary.entries.length === 0
        ? `The ${input.branch} merge queue of ${key.repository} is empty${summary?.freeze.frozen ? ' (frozen)' : ''}.`
        : `${summary.entries.length} in the ${input.branch} queue of ${key.repository}: ${order}${summary.freeze.frozen ? ' (frozen)' : ''}${summary.paused ? ' (paused)' : ''}.`;
      return { summary: `${text} ${toLandingText(input.branch, landing)}`, links: [], data: { queue: summary, landing } };
    },
  });
}
