import type { QueueKey, QueueState } from './queue-state';

/**
 * Where queues live: one versioned record per (tenant, repository, destination branch), shared by
 * every worker (SQL in server/storage/sql-merge-queue-store.ts, in memory for unit tests).
 */
export interface MergeQueueStore {
  /** The stored queue, or null if the branch has none yet. */
  load(key: QueueKey): Promise<QueueState | null>;
  /**
   * Saves `state` if the stored version is still `expectedVersion` (0: no row yet), storing it
   * as `state.version`; false if another worker saved first (nothing written).
   */
  save(state: QueueState, expectedVersion: number): Promise<boolean>;
  /** Queues of a repository (every branch), for the dashboard. */
  list(clientKey: string, repository: string): Promise<QueueState[]>;
  /** Every queue of a tenant (the scheduler's ticks, admin settings). */
  listForTenant(clientKey: string): Promise<QueueState[]>;
  /** Drops every queue of a tenant (uninstall). */
  purge(clientKey: string): Promise<void>;
}
