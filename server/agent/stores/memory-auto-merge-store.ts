import type { AutoMerge, AutoMergeStore } from './auto-merge-store';

/** In-memory {@link AutoMergeStore} for unit tests. */
export function createMemoryAutoMergeStore(): AutoMergeStore & { all(): AutoMerge[] } {
  const rows: AutoMerge[] = [];
  let nextId = 1;
  const samePr = (a: AutoMerge, clientKey: string, fullName: string, id: number) =>
    a.clientKey === clientKey && a.repositoryFullName === fullName && a.pullRequestId === id;
  return {
    async ensurePending(input, now) {
      const existing = rows.find((r) => r.state === 'pending' && samePr(r, input.clientKey, input.repositoryFullName, input.pullRequestId));
      if (existing) return { autoMerge: { ...existing }, created: false };
      const row: AutoMerge = { ...input, id: nextId++, state: 'pending', reason: null, attempts: 0, createdAt: now, updatedAt: now };
      rows.push(row);
      return { autoMerge: { ...row }, created: true };
    },
    async finish(clientKey, ref, outcome, now) {
      const row = rows.find((r) => r.state === 'pending' && samePr(r, clientKey, ref.repositoryFullName, ref.pullRequestId));
      if (!row) return null;
      Object.assign(row, { state: outcome.state, reason: outcome.reason ?? null, updatedAt: now });
      return { ...row };
    },
    async listPending(clientKey, filter = {}) {
      return rows
        .filter(
          (r) =>
            r.clientKey === clientKey &&
            r.state === 'pending' &&
            (filter.repositoryFullName === undefined || r.repositoryFullName === filter.repositoryFullName) &&
            (filter.repositoryUuid === undefined || r.repositoryUuid === filter.repositoryUuid) &&
            (filter.pullRequestId === undefined || r.pullRequestId === filter.pullRequestId),
        )
        .map((r) => ({ ...r }));
    },
    async recordRetry(clientKey, id, fromAttempt, reason, now) {
      const row = rows.find((r) => r.clientKey === clientKey && r.id === id && r.state === 'pending' && r.attempts === fromAttempt);
      if (!row) return false;
      Object.assign(row, { attempts: fromAttempt + 1, reason, updatedAt: now });
      return true;
    },
    all: () => rows.map((r) => ({ ...r })),
  };
}
