import type { FreezeWindow } from '../rules';

/** Where a queued pull request is: waiting for a batch, in one, or gone (and why). */
export type QueueEntryState = 'waiting' | 'batched' | 'merged' | 'ejected' | 'dequeued';

export interface QueueEntry {
  prId: number;
  /** One of the queue's lanes; earlier lanes go first. */
  lane: string;
  /** Arrival order within the queue: ties inside a lane break by it, so redeliveries never reorder. */
  seq: number;
  enqueuedAt: string;
  enqueuedBy: string;
  /** The source commit the PR had when queued: a different one means a new push (the PR is ejected). */
  sourceCommit: string;
  state: QueueEntryState;
  batchId: string | null;
  endedAt: string | null;
  /** Why it left (ejection, dequeue), for the sticky comment. */
  reason: string | null;
}

/**
 * building: the temporary branch is being composed; testing: CI runs on its head commit; passed /
 * red: CI answered (acted on once the batch is at the head of the queue); landing: the merge
 * decision is taken (exactly once); merged, failed (a red head, handled), cancelled: over.
 */
export type QueueBatchState = 'building' | 'testing' | 'passed' | 'red' | 'landing' | 'merged' | 'failed' | 'cancelled';

export interface QueueBatch {
  id: string;
  /** In queue order: the order they are merged into the temporary branch and landed. */
  prIds: number[];
  /** The batch this one was built on top of (speculation), or null: built on the target's head. */
  parentId: string | null;
  state: QueueBatchState;
  /** Head commit of the temporary branch once built. */
  commit: string | null;
  /** A second run of a batch that failed (flaky tests), or a bisection step. */
  retry: boolean;
  bisect: boolean;
  createdAt: string;
  endedAt: string | null;
  reason: string | null;
  /** Set when landing starts: the id the merge runner uses to do it at most once. */
  decisionId: string | null;
}

export interface QueueSettings {
  /** PRs per batch (1: each PR tested on its own before it lands). */
  batchSize: number;
  /** Batches tested at once, each on top of the one before (1: no speculation). */
  depth: number;
  /** Run a failed batch once more before bisecting it (flaky tests). */
  retryFailedBatchOnce: boolean;
  /** Priority lanes, first goes first; the last is where a PR goes by default. */
  lanes: string[];
  /** Freeze switch: nothing new starts and nothing lands; running checks go on. */
  frozen: boolean;
  freezeWindows: FreezeWindow[];
  /** Pause: nothing new starts; batches already running finish and land. */
  paused: boolean;
}

/**
 * The strategies the queue can apply and still land only the commit CI passed: how each PR goes onto
 * the batch's temporary branch, and so what lands (the tested commit, fast-forwarded). `merge_commit`,
 * one merge commit per PR; `fast_forward`, the PR's own commits, refused for a PR not based on what
 * is ahead of it (openapi.json's pullrequest_merge_parameters names). Chosen by the policy
 * (mergeQueue.strategy), read when a batch is built; `squash` is not offered (docs/merge-queue.md).
 */
export const QUEUE_MERGE_STRATEGIES = ['merge_commit', 'fast_forward'] as const;
export type QueueMergeStrategy = (typeof QUEUE_MERGE_STRATEGIES)[number];

export interface QueueStats {
  ciRuns: number;
  batchesPassed: number;
  batchesFailed: number;
  flakyRetriesPassed: number;
  merged: number;
  ejected: number;
  /** Recent merges (bounded): when they were queued and when they landed, for p50/p95 and rates. */
  recentMerges: Array<{ prId: number; enqueuedAt: string; mergedAt: string }>;
}

/** One destination branch's queue: everything the state machine needs, stored as one versioned record. */
export interface QueueState {
  clientKey: string;
  repository: string;
  branch: string;
  /** Bumped on every save: the store refuses a save from a stale read (compare and set). */
  version: number;
  nextSeq: number;
  nextBatch: number;
  settings: QueueSettings;
  /** Active entries and a bounded tail of finished ones. */
  entries: QueueEntry[];
  batches: QueueBatch[];
  /**
   * PRs (in queue order) that fail together on the target's current head: a failed batch being
   * bisected. Only bisection batches run while it is set.
   */
  suspects: number[] | null;
  /** Why the suspects' batch failed, for the culprit's ejection reason. */
  suspectsReason: string | null;
  stats: QueueStats;
}

export interface QueueKey {
  clientKey: string;
  repository: string;
  branch: string;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  batchSize: 1,
  depth: 1,
  retryFailedBatchOnce: false,
  lanes: ['hotfix', 'default'],
  frozen: false,
  freezeWindows: [],
  paused: false,
};

/** An empty queue for a destination branch. */
export function createQueueState(key: QueueKey, settings: Partial<QueueSettings> = {}): QueueState {
  return {
    ...key,
    version: 0,
    nextSeq: 1,
    nextBatch: 1,
    settings: { ...DEFAULT_QUEUE_SETTINGS, ...settings },
    entries: [],
    batches: [],
    suspects: null,
    suspectsReason: null,
    stats: { ciRuns: 0, batchesPassed: 0, batchesFailed: 0, flakyRetriesPassed: 0, merged: 0, ejected: 0, recentMerges: [] },
  };
}

export const ACTIVE_ENTRY_STATES: readonly QueueEntryState[] = ['waiting', 'batched'];
export const ACTIVE_BATCH_STATES: readonly QueueBatchState[] = ['building', 'testing', 'passed', 'red', 'landing'];
