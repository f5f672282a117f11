import type { BudgetLane } from './budget-lane';

/** Requests spent in one minute by one credential for one lane and purpose. */
export interface BudgetUsageRow {
  clientKey: string;
  credential: string;
  lane: BudgetLane;
  /** What spent them (`mirror.sync`, `pr-panel`, `agent.execute`, …): shown in admin settings. */
  purpose: string;
  /** Whole minutes since the epoch. */
  minute: number;
  count: number;
}

/** Lower lanes of a credential wait until `until` (a 429 arrived, with or without Retry-After). */
export interface BudgetPauseRow {
  clientKey: string;
  credential: string;
  until: Date;
  reason: string;
}

/**
 * Where the budget lives: shared by every instance (SQL in server/storage/sql-budget-store.ts,
 * in memory for unit tests). Every row belongs to its tenant.
 */
export interface BudgetStore {
  /** Adds `count` to the row for (clientKey, credential, lane, purpose, minute), creating it. */
  addUsage(row: BudgetUsageRow): Promise<void>;
  /** Rows of a tenant (one credential, or all) from `sinceMinute` on. */
  loadUsage(clientKey: string, sinceMinute: number, credential?: string): Promise<BudgetUsageRow[]>;
  /** Sets the pause unless one ending later is already stored. */
  ensurePause(row: BudgetPauseRow): Promise<void>;
  loadPauses(clientKey: string, credential?: string): Promise<BudgetPauseRow[]>;
  /** Drops usage older than `beforeMinute` and pauses ended before `before`, of every tenant. */
  prune(beforeMinute: number, before: Date): Promise<void>;
}
