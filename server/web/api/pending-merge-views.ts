/** GET /api/agent/pending-merges?repoUuid=&prId=: what Bosun will do to this PR on its own, and who asked. */
export interface PendingMergeView {
  id: number;
  /** `merge when green` today; a queue entry would be another kind. */
  kind: 'merge-when-green';
  mergeStrategy: string | null;
  /** Who armed it, by name where Bosun knows it (ids kept for links). */
  requestedBy: { uuid: string | null; accountId: string | null; displayName: string | null; nickname: string | null } | null;
  requestedAt: string;
  /** Merge attempts that failed for a passing reason so far, and why the last did. */
  attempts: number;
  reason: string | null;
}

export interface PendingMergesView {
  pending: PendingMergeView[];
}
