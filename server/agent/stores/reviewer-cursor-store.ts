/** Where a group's round-robin stands in one scope: the index in the group of the last person picked. */
export interface ReviewerCursor {
  position: number;
  /** 0: never stored. Each advance adds one; an advance names the version it read. */
  version: number;
  /** The plan key of the advance that wrote it (a redelivered trigger does not advance twice). */
  lastClaim: string | null;
}

export interface ReviewerCursorAdvance {
  group: string;
  position: number;
  expectedVersion: number;
}

/**
 * Round-robin cursors for the reviewer rule, per tenant, scope (a repository's `{uuid}`) and group.
 * Declared here, by the planner that uses it; storage/sql-reviewer-cursor-store.ts implements it.
 */
export interface ReviewerCursorStore {
  /** The stored cursors of these groups (absent: never advanced). */
  load(clientKey: string, scope: string, groups: readonly string[]): Promise<Record<string, ReviewerCursor>>;
  /**
   * Compare-and-set of several groups at once: every cursor moves, or none does (false) because
   * another run advanced one of them since it was read.
   */
  advance(clientKey: string, scope: string, claim: string, moves: readonly ReviewerCursorAdvance[]): Promise<boolean>;
}
