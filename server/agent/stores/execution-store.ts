import type { AuditEntry, ExecutionOutcome, PlanSource } from '../executor/plan';

export interface ExecutionRecord {
  clientKey: string;
  idempotencyKey: string;
  state: 'running' | 'finished';
  source: PlanSource;
  planSummary: string;
  outcome: ExecutionOutcome | null;
  /** The audit entry the first execute returned; null while running. */
  result: AuditEntry | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface ExecutionClaim {
  clientKey: string;
  idempotencyKey: string;
  source: PlanSource;
  planSummary: string;
}

export interface ExecutionFilter {
  state?: ExecutionRecord['state'];
  outcome?: ExecutionOutcome;
  limit?: number;
  offset?: number;
}

/**
 * Idempotency records keyed by (clientKey, idempotencyKey). `claim` must be atomic (a unique
 * constraint in SQL): exactly one of several concurrent claims gets `claimed: true`.
 */
export interface ExecutionStore {
  get(clientKey: string, idempotencyKey: string): Promise<ExecutionRecord | null>;
  claim(input: ExecutionClaim, now: Date): Promise<{ claimed: boolean; execution: ExecutionRecord }>;
  /**
   * Takes over an execution still `running` since before `staleBefore` (its process died mid-run):
   * atomic, so only one caller gets true. The plan then runs again: tools are written to be safe to repeat.
   */
  reclaimStale(clientKey: string, idempotencyKey: string, staleBefore: Date, now: Date): Promise<boolean>;
  finish(clientKey: string, idempotencyKey: string, result: AuditEntry, now: Date): Promise<void>;
  list(clientKey: string, filter?: ExecutionFilter): Promise<{ executions: ExecutionRecord[]; total: number }>;
}
