import type { QueueSettings } from './queue-state';

/** Something that happened to a queue: a person, a webhook, CI, the merge runner or the clock. */
export type QueueEvent =
  /**
   * `ownBuildsFailed`: the PR's own builds on `sourceCommit` already failed (why), as the caller read
   * them: the queue records it and ejects it at once instead of spending CI runs on a batch it breaks.
   */
  | { type: 'enqueue'; prId: number; by: string; sourceCommit: string; lane?: string | undefined; ownBuildsFailed?: string | undefined }
  /** A queued PR's own builds on its queued commit failed (a status webhook): it leaves before it costs a batch. */
  | { type: 'pr-builds-failed'; prId: number; sourceCommit: string; reason: string }
  | { type: 'dequeue'; prId: number; by: string; reason?: string | undefined }
  /** The PR's source moved (pullrequest:updated / push): a new commit ejects it. */
  | { type: 'pr-updated'; prId: number; sourceCommit: string }
  /** The PR was merged, declined or superseded outside the queue (or the queue's own merge, redelivered). */
  | { type: 'pr-closed'; prId: number; state: 'MERGED' | 'DECLINED' | 'SUPERSEDED' }
  | { type: 'batch-built'; batchId: string; commit: string }
  /** Composing the temporary branch failed: `prId` is the PR whose merge conflicted, if known. */
  | { type: 'batch-build-failed'; batchId: string; prId: number | null; reason: string }
  /** The required statuses on a batch's head commit settled. */
  | { type: 'ci-result'; batchId: string; commit: string; passed: boolean; reason?: string | undefined }
  /**
   * The merge runner's answer to a land-batch effect: merged; refused for one PR (409, a conflict,
   * a new commit, readiness no longer met), which is ejected; or stale (the target moved): rebuild.
   */
  | { type: 'land-result'; batchId: string; decisionId: string; outcome: 'merged' }
  | { type: 'land-result'; batchId: string; decisionId: string; outcome: 'rejected'; prId: number; reason: string }
  | { type: 'land-result'; batchId: string; decisionId: string; outcome: 'stale'; reason: string }
  | { type: 'configure'; settings: Partial<QueueSettings> }
  /** The clock moved (scheduler tick): freeze windows may have ended. */
  | { type: 'tick' }
  /** A worker took the queue over after a restart: repeat the effects of batches in flight. */
  | { type: 'resume' };

export type BatchBase = { kind: 'target' } | { kind: 'batch'; batchId: string; commit: string };

/** What the queue asks the outside world to do. Each is safe to repeat (the runner's writes are ensure*). */
export type QueueEffect =
  /** Create the temporary branch at `base` and merge `prIds` into it in this order. */
  | { type: 'build-batch'; batchId: string; prIds: number[]; base: BatchBase }
  /** Delete the batch's temporary branch; its CI result no longer matters. */
  | { type: 'cancel-batch'; batchId: string }
  /** Land the tested commit: re-check readiness, then merge (taken once, under `decisionId`). */
  | { type: 'land-batch'; batchId: string; decisionId: string; prIds: number[]; commit: string }
  /** Tell the PR (sticky comment, panel). */
  | { type: 'notify'; prId: number; kind: 'queued' | 'ejected' | 'dequeued' | 'merged'; reason: string | null };

/** What applying an event said back: refusals go to whoever asked. */
export type QueueNotice =
  | { kind: 'already-queued'; prId: number }
  | { kind: 'not-queued'; prId: number }
  | { kind: 'unknown-lane'; prId: number; lane: string }
  | { kind: 'already-landing'; prId: number }
  | { kind: 'ignored'; why: string };
