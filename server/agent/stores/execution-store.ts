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
  /** The run holding the record while it is running (a random id per execute); null once finished or on rows older than leases. */
  owner: string | null;
  /** While running: the owner renews this; once it has passed, the owner is taken to be dead and the run may be taken over. */
  leaseExpiresAt: Date | null;
}

export interface ExecutionClaim {
  clientKey: string;
  idempotencyKey: string;
  source: PlanSource;
  planSummary: string;
  owner: string;
  leaseExpiresAt: Date;
}

/** A new owner for a running execution whose lease ran out. */
export interface ExecutionTakeover {
  owner: string;
  leaseExpiresAt: Date;
  now: Date;
}

/**
 * Rows written before executions had leases (no owner) count as dead this long after they
 * started, the rule they were written under.
 */
export const UNLEASED_STALE_AFTER_MS = 60_000;

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
   * Extends a running execution's lease, only for its owner: false when the execution was taken
   * over (or finished) meanwhile, and the caller must stop.
   */
  renew(clientKey: string, idempotencyKey: string, owner: string, leaseExpiresAt: Date): Promise<boolean>;
  /**
   * Takes over an execution still `running` whose lease ran out (its process died or stalled), or
   * an unleased one older than {@link UNLEASED_STALE_AFTER_MS}: one conditional write, so only one
   * caller gets true. The plan then runs again with every step marked as possibly applied.
   */
  takeOver(clientKey: string, idempotencyKey: string, takeover: ExecutionTakeover): Promise<boolean>;
  /** Records the outcome; with `owner`, only while that owner still holds the run (false otherwise). */
  finish(clientKey: string, idempotencyKey: string, result: AuditEntry, now: Date, owner?: string): Promise<boolean>;
  list(clientKey: string, filter?: ExecutionFilter): Promise<{ executions: ExecutionRecord[]; total: number }>;
}
