import { z } from 'zod';
import { READINESS_STATUS_KEY, toCurrentBuildStatuses } from '../../rules';
import { ToolError } from '../errors';
import type { MergeQueuePort } from './merge-queue-port';
import { loadPullRequest, requireWorkspaceAdmin, toPlaceText, toQueuedBy, toQueueKey, toQueuePlace } from './merge-queue-target';
import { defineTool } from './tool';
import { pullRequestFields, toPullRequestLinks, toWorkspace } from './tool-inputs';

const lane = z.string().min(1).max(64).regex(/^[\w.-]+$/, 'must be a lane name (letters, digits, . _ -)');

/**
 * Puts a pull request in its destination branch's merge queue. The queue tests it on top of
 * the target (with the PRs ahead of it) and lands it when green; it leaves by merge, dequeue or
 * ejection with the reason in the sticky comment.
 */
export function createMergeQueueEnqueue(deps: { mergeQueue: MergeQueuePort }) {
  return defineTool({
    name: 'mergeQueue.enqueue',
    description: "Add a pull request to its destination branch's merge queue: tested with the PRs ahead of it, merged when green.",
    input: z.object({
      ...pullRequestFields,
      sourceCommit: z.string().regex(/^[0-9a-f]{7,40}$/, 'must be a commit hash').optional().describe('The head commit to queue (default: the current head)'),
      lane: lane.optional().describe('Priority lane, e.g. hotfix (admins only for lanes ahead of the default one)'),
    }),
    // The queue merges later as the installation, so it needs the merge scope now.
    scopes: ['pullrequest:write'],
    actsAs: 'installation',
    risk: 'write',
    async run(ctx, input) {
      const pr = await loadPullRequest(ctx, input);
      if (pr.state === 'MERGED') return { summary: `Pull request #${pr.id} is already merged.`, links: toPullRequestLinks(pr), data: { queued: false, reason: 'merged' } };
      if (pr.state !== 'OPEN') throw new ToolError(`Pull request #${pr.id} is ${pr.state.toLowerCase()} and cannot be queued.`);
      const head = pr.source.commit?.hash ?? '';
      if (!head) throw new ToolError(`Bosun could not read the head commit of #${pr.id}.`);
      if (input.sourceCommit && !head.startsWith(input.sourceCommit) && !input.sourceCommit.startsWith(head)) {
        throw new ToolError(`A new commit was pushed to #${pr.id} after its builds passed; it is queued once that commit is green.`);
      }
      const key = toQueueKey(ctx, pr, input);
      // The PR's own builds on that commit (Bosun's own statuses aside): one that failed alone fails every batch it joins.
      const own = toCurrentBuildStatuses(await ctx.client.statuses.listForCommit(toWorkspace(input, ctx.tenant), input.repo, head))
        .filter((s) => s.key !== READINESS_STATUS_KEY && !s.key.startsWith('bosun/') && (s.state === 'FAILED' || s.state === 'STOPPED'));
      const ownBuildsFailed = own.length > 0 ? own.map((s) => `${s.name ?? s.key} ${s.state.toLowerCase()}`).join(', ') : undefined;
      const current = await deps.mergeQueue.load(key);
      const lanes = current?.settings.lanes ?? ['hotfix', 'default'];
      if (input.lane && lanes && input.lane !== lanes[lanes.length - 1]) {
        // Lanes ahead of the default: the people the policy names for the lane, else workspace admins.
        const uuid = ctx.actor.kind === 'user' ? ctx.actor.userUuid : null;
        const allowed = uuid !== null && (await deps.mergeQueue.mayUseLane({ clientKey: ctx.tenant.clientKey, repositoryUuid: pr.destination.repository?.uuid ?? null, lane: input.lane, userUuid: uuid }));
        if (!allowed) await requireWorkspaceAdmin(ctx, toWorkspace(input, ctx.tenant), `queue in the ${input.lane} lane (the policy's mergeQueue.lanes names who else may)`);
      }
      const answer = await deps.mergeQueue.submit(
        key,
        { type: 'enqueue', prId: pr.id, by: toQueuedBy(ctx), sourceCommit: head, ...(input.lane ? { lane: input.lane } : {}), ...(ownBuildsFailed ? { ownBuildsFailed } : {}) },
        { resume: ctx.step?.mayBeApplied ?? false },
      );
      const unknownLane = answer.notices.find((n) => n.kind === 'unknown-lane');
      if (unknownLane && unknownLane.kind === 'unknown-lane') {
        throw new ToolError(`The ${key.branch} queue has no lane "${unknownLane.lane}"; its lanes are ${answer.summary.settings.lanes.join(', ')}.`);
      }
      const place = toQueuePlace(answer.summary, pr.id);
      const already = answer.notices.some((n) => n.kind === 'already-queued');
      const summary = place.position === null
        ? ownBuildsFailed && !already
          ? `#${pr.id} was not queued for ${key.branch}: its own builds failed (${ownBuildsFailed}); fix them and queue it again.`
          : `Queued #${pr.id} for ${key.branch}; it already left the queue (see the sticky comment for why).`
        : already
          ? `Pull request #${pr.id} is already queued: ${toPlaceText(place)}.`
          : `Queued #${pr.id}: ${toPlaceText(place)}.`;
      // Stamped with the queue's transition: a reply built from this never hides a later queue notice.
      return { summary, links: toPullRequestLinks(pr), data: { queued: place.position !== null, alreadyQueued: already, place }, ...(answer.at ? { asOf: answer.at } : {}) };
    },
  });
}
