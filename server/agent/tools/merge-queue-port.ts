import type { QueueEvent, QueueKey, QueueLandingPolicy, QueueNotice, QueueSummary } from '../../merge-queue';

/** What a queue said back to one event: the queue after it, and any refusal (already queued, not queued…). */
export interface MergeQueueAnswer {
  summary: QueueSummary;
  notices: QueueNotice[];
  /** When the event's transition was saved (ISO): the tools' results carry it as `asOf`. */
  at?: string;
}

/**
 * The merge queue as the agent's tools reach it (declared here, implemented at the composition
 * root over server/merge-queue's driver and store): an event is applied by compare and set and
 * what follows (building a batch on Bitbucket) runs before the answer; CI results arrive later.
 */
export interface MergeQueuePort {
  /** `resume`: an earlier run of this step may have applied it; repeat the queue's in-flight effects first. */
  submit(key: QueueKey, event: QueueEvent, options?: { resume?: boolean }): Promise<MergeQueueAnswer>;
  /** The queue of a branch, or null when the branch never had one. */
  load(key: QueueKey): Promise<QueueSummary | null>;
  /**
   * How the queue merges on this branch, as the runner will read it when it builds and lands: the
   * effective policy's mergeQueue.strategy and mergeQueue.closeSourceBranch (workspace < repository < the branch's bosun.yml).
   */
  loadLandingPolicy(key: QueueKey): Promise<QueueLandingPolicy>;
  /** Whether the policy's `mergeQueue.lanes` lets this person queue in a lane ahead of the default one. */
  mayUseLane(input: { clientKey: string; repositoryUuid: string | null; lane: string; userUuid: string }): Promise<boolean>;
}
