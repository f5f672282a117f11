import type { BudgetPauseRow, BudgetStore, BudgetUsageRow } from './budget-store';

/** The budget store in memory, for unit tests (one process only). */
export function createMemoryBudgetStore(): BudgetStore {
  const usage = new Map<string, BudgetUsageRow>();
  const pauses = new Map<string, BudgetPauseRow>();
  const usageKey = (r: BudgetUsageRow) => JSON.stringify([r.clientKey, r.credential, r.lane, r.purpose, r.minute]);
  const pauseKey = (clientKey: string, credential: string) => JSON.stringify([clientKey, credential]);
  return {
    async addUsage(row) {
      const key = usageKey(row);
      const found = usage.get(key);
      usage.set(key, { ...row, count: (found?.count ?? 0) + row.count });
    },
    async loadUsage(clientKey, sinceMinute, credential) {
      return [...usage.values()]
        .filter((r) => r.clientKey === clientKey && r.minute >= sinceMinute && (credential === undefined || r.credential === credential))
        .map((r) => ({ ...r }));
    },
    async ensurePause(row) {
      const key = pauseKey(row.clientKey, row.credential);
      const found = pauses.get(key);
      if (!found || found.until < row.until) pauses.set(key, { ...row });
    },
    async loadPauses(clientKey, credential) {
      return [...pauses.values()].filter((p) => p.clientKey === clientKey && (credential === undefined || p.credential === credential)).map((p) => ({ ...p }));
    },
    async prune(beforeMinute, before) {
      for (const [k, r] of usage) if (r.minute < beforeMinute) usage.delete(k);
      for (const [k, p] of pauses) if (p.until < before) pauses.delete(k);
    },
  };
}
