import type { QueueLandingView } from '../../server/web/api/merge-queue-views';

const STRATEGY: Record<QueueLandingView['strategy'], string> = {
  merge_commit: 'merge_commit (a merge commit per PR)',
  fast_forward: 'fast_forward (no merge commit: each PR must be based on what lands ahead of it)',
};

const WHERE = "Set by the policy's mergeQueue.strategy and mergeQueue.closeSourceBranch.";

/**
 * How the queue merges on a branch, where its settings would be looked for: the strategy, what it
 * means, whether source branches are deleted, and the policy fields that set them. With
 * `sourceBranchClosed` (the PR panel): what happens to this PR's own source branch.
 */
export function toQueueLandingText(landing: QueueLandingView | null, pr?: { sourceBranchClosed: boolean }): string {
  // Not readable just now (the branch's bosun.yml did not answer): the view says so rather than guess.
  if (landing === null) return `Strategy unknown right now: Bosun could not read this branch's policy; it is shown again once it can. ${WHERE}`;
  const closing = pr
    ? `this PR's source branch is ${pr.sourceBranchClosed ? 'deleted' : 'kept'} once it lands (${landing.closeSourceBranch === null ? 'as the PR asks' : 'the policy decides for every PR'})`
    : landing.closeSourceBranch === null
      ? 'source branches deleted as each PR asks'
      : landing.closeSourceBranch
        ? "every landed PR's source branch deleted"
        : 'every source branch kept';
  return `Strategy ${STRATEGY[landing.strategy]}; ${closing}. ${WHERE}`;
}
