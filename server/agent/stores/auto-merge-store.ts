/**
 * `pending` until it ends: `merged` (by Bosun, or outside it), `queued` (handed to the branch's merge queue,
 * which lands the PR from there: the request is fulfilled, the queue's state says the rest), `cancelled`, `failed`.
 */
export type AutoMergeState = 'pending' | 'merged' | 'queued' | 'cancelled' | 'failed';

/** A "merge when green" request: the job layer re-checks it on status webhooks and merges once ready. */
export interface AutoMerge {
  id: number;
  clientKey: string;
  /** `workspace/repo` as Bitbucket spells it (the PR's destination repository). */
  repositoryFullName: string;
  repositoryUuid: string | null;
  pullRequestId: number;
  mergeStrategy: string | null;
  requestedByUuid: string | null;
  requestedByAccountId: string | null;
  state: AutoMergeState;
  /** Why it ended (failed or cancelled; the enqueue's message when queued), or why it is being retried, for people. */
  reason: string | null;
  /** Merge attempts that failed transiently so far; each attempt has its own idempotency key. */
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface AutoMergeInput {
  clientKey: string;
  repositoryFullName: string;
  repositoryUuid: string | null;
  pullRequestId: number;
  mergeStrategy: string | null;
  requestedByUuid: string | null;
  requestedByAccountId: string | null;
}

export interface AutoMergeFilter {
  repositoryFullName?: string;
  repositoryUuid?: string;
  pullRequestId?: number;
}

export interface AutoMergeStore {
  /** At most one pending request per PR: a second ask returns the first (`created: false`). */
  ensurePending(input: AutoMergeInput, now: Date): Promise<{ autoMerge: AutoMerge; created: boolean }>;
  /** Ends the pending request of a PR; null when none was pending. */
  finish(
    clientKey: string,
    ref: { repositoryFullName: string; pullRequestId: number },
    outcome: { state: Exclude<AutoMergeState, 'pending'>; reason?: string | null },
    now: Date,
  ): Promise<AutoMerge | null>;
  listPending(clientKey: string, filter?: AutoMergeFilter): Promise<AutoMerge[]>;
  /** After a transient failure: still pending, next attempt. Guarded on `attempts` so concurrent callers move it once. */
  recordRetry(clientKey: string, id: number, fromAttempt: number, reason: string, now: Date): Promise<boolean>;
}
