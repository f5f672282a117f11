import { toPageBounds } from './audit-store';
import type { ExecutionRecord, ExecutionStore } from './execution-store';

/** In-memory {@link ExecutionStore}; `claim` checks and inserts in one synchronous step, so it is atomic. */
export function createMemoryExecutionStore(): ExecutionStore & { all(): ExecutionRecord[] } {
  const rows = new Map<string, ExecutionRecord>();
  const keyOf = (clientKey: string, key: string) => JSON.stringify([clientKey, key]);
  const copy = (r: ExecutionRecord): ExecutionRecord => structuredClone(r);
  return {
    async get(clientKey, idempotencyKey) {
      const row = rows.get(keyOf(clientKey, idempotencyKey));
      return row ? copy(row) : null;
    },
    async claim(input, now) {
      const k = keyOf(input.clientKey, input.idempotencyKey);
      const existing = rows.get(k);
      if (existing) return { claimed: false, execution: copy(existing) };
      const row: ExecutionRecord = { ...input, state: 'running', outcome: null, result: null, createdAt: now, finishedAt: null };
      rows.set(k, row);
      return { claimed: true, execution: copy(row) };
    },
    async reclaimStale(clientKey, idempotencyKey, staleBefore, now) {
      const row = rows.get(keyOf(clientKey, idempotencyKey));
      if (!row || row.state !== 'running' || row.createdAt.getTime() >= staleBefore.getTime()) return false;
      row.createdAt = now;
      return true;
    },
    async finish(clientKey, idempotencyKey, result, now) {
      const row = rows.get(keyOf(clientKey, idempotencyKey));
      if (!row) return;
      Object.assign(row, { state: 'finished', outcome: result.outcome, result: structuredClone(result), finishedAt: now });
    },
    async list(clientKey, filter = {}) {
      const { limit, offset } = toPageBounds(filter);
      const matching = [...rows.values()]
        .filter(
          (r) =>
            r.clientKey === clientKey &&
            (filter.state === undefined || r.state === filter.state) &&
            (filter.outcome === undefined || r.outcome === filter.outcome),
        )
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      return { executions: matching.slice(offset, offset + limit).map(copy), total: matching.length };
    },
    all: () => [...rows.values()].map(copy),
  };
}
