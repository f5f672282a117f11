import type { Tenant } from '../../host';

/** One branch's queue as the dashboard and admin settings show it (merge-queue's summary, as JSON). */
export interface BranchQueueView {
  repository: string;
  branch: string;
  freeze: { frozen: boolean; until: string | null; reason: string | null };
  paused: boolean;
  settings: { batchSize: number; depth: number; retryFailedBatchOnce: boolean; lanes: string[] };
  entries: Array<{ prId: number; position: number; lane: string; state: 'waiting' | 'batched'; batchId: string | null; enqueuedAt: string; etaAt: string | null }>;
  batches: Array<{ id: string; prIds: number[]; state: string; commit: string | null; createdAt: string; retry: boolean; bisect: boolean }>;
  recentBatches: Array<{ id: string; prIds: number[]; state: string; endedAt: string | null; reason: string | null }>;
  recentlyLeft: Array<{ prId: number; state: 'ejected' | 'dequeued'; reason: string | null; endedAt: string | null }>;
  analytics: {
    timeInQueueP50Ms: number | null;
    timeInQueueP95Ms: number | null;
    mergesLastHour: number;
    mergesPerHour: number | null;
    ciRunsPerMergedPr: number | null;
    batchSuccessRate: number | null;
  };
}

/**
 * How the queue merges on a branch, as it will when it builds and lands: the effective policy's
 * mergeQueue.strategy and mergeQueue.closeSourceBranch (workspace < repository < the branch's bosun.yml).
 */
export interface QueueLandingView {
  strategy: 'merge_commit' | 'fast_forward';
  /** Every landed PR's source branch deleted (true) or kept (false); null: as each PR asks. */
  closeSourceBranch: boolean | null;
}

/** GET /api/pr-panel/queue: this PR's place in its destination branch's queue. */
export interface PullRequestQueueView {
  repository: string;
  branch: string;
  pullRequestId: number;
  /** The policy sends this branch's "merge when green" through the queue. */
  mergeViaQueue: boolean;
  /** Null when the PR is not queued. */
  place: { position: number; state: 'waiting' | 'batched'; lane: string; etaAt: string | null } | null;
  /** The batch the PR is tested in, with the PRs tested together with it. */
  batch: { id: string; prIds: number[]; state: string } | null;
  queueLength: number;
  freeze: { frozen: boolean; until: string | null; reason: string | null };
  paused: boolean;
  /** Why the PR last left the queue (ejected with the reason, dequeued, merged), when it did. */
  lastLeft: { state: 'ejected' | 'dequeued' | 'merged'; reason: string | null; endedAt: string | null } | null;
  /** The PR can be queued: open, and the viewer may ask (the executor checks write access when they do). */
  canQueue: boolean;
  /**
   * How the queue merges on this branch; `sourceBranchClosed`: whether this PR's source branch is deleted once it lands (the policy, else the PR's own choice).
   * Null when it could not be read just now (the branch's bosun.yml answered 5xx, 429 or timed out, and no earlier reading is kept): the view answers anyway.
   */
  landing: (QueueLandingView & { sourceBranchClosed: boolean }) | null;
}

/** GET /api/repo-dashboard/queues: every branch queue of a repository. */
export interface RepositoryQueuesView {
  repository: string;
  /** `landing` null: it could not be read just now (as the PR view's). */
  queues: Array<BranchQueueView & { landing: QueueLandingView | null }>;
}

export interface AdminQueuesView {
  queues: BranchQueueView[];
}

export interface QueueSettingsChange {
  repository: string;
  branch: string;
  settings: Partial<{ batchSize: number; depth: number; retryFailedBatchOnce: boolean; lanes: string[]; frozen: boolean; paused: boolean }>;
}

/** What the queue's API reads and changes; implemented at the composition root over server/merge-queue. */
export interface MergeQueueViews {
  loadForPullRequest(tenant: Tenant, query: { repoUuid: string; prId: number }): Promise<PullRequestQueueView>;
  loadForRepository(tenant: Tenant, query: { repoUuid: string }): Promise<RepositoryQueuesView>;
  listForAdmin(tenant: Tenant): Promise<AdminQueuesView>;
  /** Admins only (the admin page's session is checked against Bitbucket before this runs). */
  configure(tenant: Tenant, change: QueueSettingsChange, by: string): Promise<BranchQueueView>;
}
