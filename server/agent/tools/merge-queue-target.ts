import type { PullRequest } from '../../bitbucket';
import type { QueueKey, QueueLandingPolicy, QueueSummary } from '../../merge-queue';
import { ToolError } from '../errors';
import type { ToolContext } from './tool';
import { toRepoName, toWorkspace } from './tool-inputs';

/** The queue a pull request goes through: its destination branch's, in its repository (`workspace/slug`). */
export function toQueueKey(ctx: ToolContext, pr: PullRequest, input: { workspace?: string | undefined; repo: string }): QueueKey {
  const repository = pr.destination.repository?.full_name ?? toRepoName(input, ctx.tenant);
  const branch = pr.destination.branch?.name;
  if (!branch) throw new ToolError(`Bosun could not tell the destination branch of #${pr.id}.`);
  return { clientKey: ctx.tenant.clientKey, repository, branch };
}

export async function loadPullRequest(ctx: ToolContext, input: { workspace?: string | undefined; repo: string; pullRequestId: number }): Promise<PullRequest> {
  return ctx.client.pullRequests.get(toWorkspace(input, ctx.tenant), input.repo, input.pullRequestId);
}

/** Who asked, as the queue records it (and the sticky comment shows). */
export function toQueuedBy(ctx: ToolContext): string {
  return ctx.actor.displayName ?? ctx.actor.nickname ?? ctx.actor.userUuid ?? (ctx.actor.kind === 'rule' ? 'merge when green' : 'Bosun');
}

/** A PR's place in a queue summary, as tools answer it (typed: the panel and LLMs read `data`). */
export interface QueuePlace {
  repository: string;
  branch: string;
  pullRequestId: number;
  /** 1-based, null when the PR is not in the queue. */
  position: number | null;
  state: 'waiting' | 'batched' | null;
  batchId: string | null;
  etaAt: string | null;
  queueLength: number;
  frozen: boolean;
  paused: boolean;
}

export function toQueuePlace(summary: QueueSummary, pullRequestId: number): QueuePlace {
  const entry = summary.entries.find((e) => e.prId === pullRequestId);
  return {
    repository: summary.repository,
    branch: summary.branch,
    pullRequestId,
    position: entry?.position ?? null,
    state: entry?.state ?? null,
    batchId: entry?.batchId ?? null,
    etaAt: entry?.etaAt ?? null,
    queueLength: summary.entries.length,
    frozen: summary.freeze.frozen,
    paused: summary.paused,
  };
}

/** How the queue merges on a branch, as tools answer it (`data.landing`); closeSourceBranch null: as each PR asks. */
export interface QueueLanding {
  strategy: QueueLandingPolicy['strategy'];
  closeSourceBranch: boolean | null;
  /** With a pull request: whether its source branch is deleted once it lands (the policy, else its own choice). */
  sourceBranchClosed?: boolean;
}

export function toQueueLanding(policy: QueueLandingPolicy, pr?: { closeSourceBranch: boolean }): QueueLanding {
  const closeSourceBranch = policy.closeSourceBranch ?? null;
  return { strategy: policy.strategy, closeSourceBranch, ...(pr ? { sourceBranchClosed: closeSourceBranch ?? pr.closeSourceBranch } : {}) };
}

const STRATEGY_TEXT: Record<QueueLanding['strategy'], string> = {
  merge_commit: 'each PR goes onto the tested branch with a merge commit',
  fast_forward: 'each PR goes in by fast-forward, with no merge commit, so it must be based on what lands ahead of it',
};

/**
 * "The main queue uses the merge_commit strategy: …; it deletes each landed PR's source branch."
 * Names the policy's fields, so people know where the setting lives.
 */
export function toLandingText(branch: string, landing: QueueLanding, prId?: number): string {
  const closing = landing.closeSourceBranch === true
    ? "it deletes each landed PR's source branch"
    : landing.closeSourceBranch === false
      ? 'it keeps every source branch'
      : `each PR's own "close source branch" decides whether its source branch is deleted${prId !== undefined && landing.sourceBranchClosed !== undefined ? ` (#${prId}'s is ${landing.sourceBranchClosed ? 'deleted' : 'kept'})` : ''}`;
  return `The ${branch} queue uses the ${landing.strategy} strategy: ${STRATEGY_TEXT[landing.strategy]}, then ${branch} is fast-forwarded to the commit CI passed; ${closing}. `
    + "Set by the policy's mergeQueue.strategy and mergeQueue.closeSourceBranch (admin settings, or the branch's bosun.yml).";
}

/** "position 2 of 3 (frozen)" */
export function toPlaceText(place: QueuePlace): string {
  const flags = [place.frozen ? 'the branch is frozen' : null, place.paused ? 'the queue is paused' : null].filter(Boolean);
  return `position ${place.position} of ${place.queueLength} in the ${place.branch} queue${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`;
}

/**
 * Freezes, lanes ahead of the default one and queue settings are for workspace admins (owners, as
 * Bitbucket lists them), asked as the installation like the executor's write-access check.
 */
export async function requireWorkspaceAdmin(ctx: ToolContext, workspace: string, what: string): Promise<void> {
  const uuid = ctx.actor.userUuid;
  if (ctx.actor.kind !== 'user' || uuid === null) throw new ToolError(`Only a workspace admin may ${what}; this request has no person behind it.`);
  const entries = await ctx.client.workspaces.listPermissions(workspace, { q: `user.uuid="${uuid}"` }).catch(() => []);
  if (!entries.some((e) => e.user?.uuid === uuid && e.permission === 'owner')) throw new ToolError(`Only a workspace admin may ${what}.`);
}
