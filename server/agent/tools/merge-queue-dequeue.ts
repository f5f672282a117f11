import { z } from 'zod';
import { ToolError } from '../errors';
import type { MergeQueuePort } from './merge-queue-port';
import { loadPullRequest, toQueuedBy, toQueueKey, toQueuePlace } from './merge-queue-target';
import { defineTool } from './tool';
import { pullRequestFields, toPullRequestLinks } from './tool-inputs';

/** Takes a pull request out of its merge queue (a batch it was in is rebuilt without it). */
export function createMergeQueueDequeue(deps: { mergeQueue: MergeQueuePort }) {
  return defineTool({
    name: 'mergeQueue.dequeue',
    description: 'Remove a pull request from its merge queue.',
    input: z.object(pullRequestFields),
    scopes: ['pullrequest'],
    actsAs: 'installation',
    risk: 'write',
    async run(ctx, input) {
      const pr = await loadPullRequest(ctx, input);
      const key = toQueueKey(ctx, pr, input);
      const by = toQueuedBy(ctx);
      const answer = await deps.mergeQueue.submit(key, { type: 'dequeue', prId: pr.id, by, reason: `Removed from the queue by ${by}.` }, { resume: ctx.step?.mayBeApplied ?? false });
      if (answer.notices.some((n) => n.kind === 'already-landing')) throw new ToolError(`#${pr.id} is being merged right now and can no longer leave the queue.`);
      const notQueued = answer.notices.some((n) => n.kind === 'not-queued');
      return {
        summary: notQueued ? `Pull request #${pr.id} was not in the ${key.branch} queue.` : `Removed #${pr.id} from the ${key.branch} queue.`,
        links: toPullRequestLinks(pr),
        data: { dequeued: !notQueued, place: toQueuePlace(answer.summary, pr.id) },
        ...(answer.at ? { asOf: answer.at } : {}),
      };
    },
  });
}
