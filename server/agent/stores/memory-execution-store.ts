import { toPageBounds } from './audit-store';
import { UNLEASED_STALE_AFTER_MS, type ExecutionRecord, type ExecutionStore } from './execution-store';

/** In-memory {@link ExecutionStore}; every method checks and writes in one synchronous step, so each is atomic. */
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
    async renew(clientKey, idempotencyKey, owner, leaseExpiresAt) {
      const row = rows.get(keyOf(clientKey, idempotencyKey));
      if (!row || row.state !== 'running' || row.owner !== owner) return false;
      row.leaseExpiresAt = leaseExpiresAt;
      return true;
    },
    async takeOver(clientKey, idempotencyKey, takeover) {
      const row = rows.get(keyOf(clientKey, idempotencyKey));
      if (!row || row.state !== 'running') return false;
      const at = takeover.now.getTime();
      const expired =
        row.leaseExpiresAt === null ? row.createdAt.getTime() < at - UNLEASED_STALE_AFTER_MS : row.leaseExpiresAt.getTime() <= at;
      if (!expired) return false;
      row.owner = takeover.owner;
      row.leaseExpiresAt = takeover.leaseExpiresAt;
      return true;
    },
    async finish(clientKey, idempotencyKey, result, now, owner) {
      const row = rows.get(keyOf(clientKey, idempotencyKey));
      if (!row || (owner !== undefined && (row.state !== 'running' || row.owner !== owner))) return false;
      Object.assign(row, { state: 'finished', outcome: result.outcome, result: structuredClone(result), finishedAt: now, owner: null, leaseExpiresAt: null });
      return true;
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
