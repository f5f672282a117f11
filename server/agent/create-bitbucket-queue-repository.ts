import { asBitbucketFailure, isBitbucketFailure, type BitbucketClient, type PullRequest } from '../bitbucket';
import type { QueuePullRequest, QueueRepository } from '../merge-queue';

const toQueuePullRequest = (pr: PullRequest): QueuePullRequest => ({
  id: pr.id,
  state: pr.state,
  sourceBranch: pr.source.branch?.name ?? '',
  sourceCommit: pr.source.commit?.hash ?? null,
  destinationBranch: pr.destination.branch?.name ?? '',
  closeSourceBranch: pr.close_source_branch ?? false,
});

/** BBQL string literal: quotes and backslashes escaped. */
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The merge queue's Bitbucket port over the REST client, for one repository. The endpoints and
 * their sources are in docs/merge-queue.md.
 */
export function createBitbucketQueueRepository(client: BitbucketClient, workspace: string, repoSlug: string): QueueRepository {
  return {
    async getBranchHead(name) {
      try {
        return (await client.branches.get(workspace, repoSlug, name)).target?.hash ?? null;
      } catch (error) {
        if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) return null;
        throw error;
      }
    },
    async createBranch(name, at) {
      await client.branches.create(workspace, repoSlug, { name, target: { hash: at } });
    },
    async deleteBranch(name) {
      try {
        await client.branches.delete(workspace, repoSlug, name);
      } catch (error) {
        if (!isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) throw error;
      }
    },
    async getPullRequest(id) {
      return toQueuePullRequest(await client.pullRequests.get(workspace, repoSlug, id));
    },
    async findOpenPullRequest(sourceBranch, destinationBranch) {
      const found = await client.pullRequests.list(workspace, repoSlug, {
        state: ['OPEN'],
        q: `source.branch.name = ${quote(sourceBranch)} AND destination.branch.name = ${quote(destinationBranch)}`,
        max: 1,
      });
      return found[0] ? toQueuePullRequest(found[0]) : null;
    },
    async findMergedPullRequest(sourceBranch, destinationBranch) {
      const found = await client.pullRequests.list(workspace, repoSlug, {
        state: ['MERGED'],
        q: `source.branch.name = ${quote(sourceBranch)} AND destination.branch.name = ${quote(destinationBranch)}`,
        max: 1,
      });
      return found[0] ? toQueuePullRequest(found[0]) : null;
    },
    async createPullRequest(input) {
      const pr = await client.pullRequests.create(workspace, repoSlug, {
        title: input.title,
        description: input.description,
        source: { branch: { name: input.sourceBranch } },
        destination: { branch: { name: input.destinationBranch } },
        close_source_branch: false,
      });
      return toQueuePullRequest(pr);
    },
    async listCommitStatuses(commit) {
      const statuses = await client.statuses.listForCommit(workspace, repoSlug, commit, { max: 100 });
      return statuses.map((s) => ({ key: s.key, state: s.state, name: s.name ?? null, description: s.description ?? null }));
    },
    async mergePullRequest(id, strategy, message) {
      try {
        await client.pullRequests.merge(workspace, repoSlug, id, { merge_strategy: strategy, close_source_branch: false, ...(message ? { message } : {}) }, { async: true, pollIntervalMs: 50 });
        return { ok: true };
      } catch (error) {
        const failure = asBitbucketFailure(error);
        if (failure && failure.status !== null && failure.status < 500) {
          const message = failure.bitbucketMessage ?? failure.message;
          // Bitbucket words an impossible fast-forward only in its message (no code of its own): read here, at the edge, once.
          return { ok: false, status: failure.status, message, notFastForward: strategy === 'fast_forward' && /fast-forward/i.test(message) };
        }
        throw error;
      }
    },
  };
}
