import type { MergeQueueStore } from './merge-queue-store';
import { ACTIVE_BATCH_STATES, ACTIVE_ENTRY_STATES, type QueueKey, type QueueState } from './queue-state';

const keyOf = (k: QueueKey) => JSON.stringify([k.clientKey, k.repository, k.branch]);

/** In-memory queues for unit tests and benchmarks: copies in and out, so callers never share state. */
export function createMemoryMergeQueueStore(): MergeQueueStore {
  const rows = new Map<string, QueueState>();
  return {
    async load(key) {
      const row = rows.get(keyOf(key));
      return row ? structuredClone(row) : null;
    },
    async save(state, expectedVersion) {
      const current = rows.get(keyOf(state))?.version ?? 0;
      if (current !== expectedVersion) return false;
      rows.set(keyOf(state), structuredClone(state));
      return true;
    },
    async list(clientKey, repository) {
      return [...rows.values()].filter((r) => r.clientKey === clientKey && r.repository === repository).map((r) => structuredClone(r));
    },
    async listForTenant(clientKey) {
      return [...rows.values()].filter((r) => r.clientKey === clientKey).map((r) => structuredClone(r));
    },
    async purge(clientKey) {
      for (const [k, r] of rows) if (r.clientKey === clientKey) rows.delete(k);
    },
  };
}

/** Active entries or batches: a queue the clock or a lost job may still have to move. */
export function hasWork(s: QueueState): boolean {
  return s.entries.some((e) => ACTIVE_ENTRY_STATES.includes(e.state)) || s.batches.some((b) => ACTIVE_BATCH_STATES.includes(b.state));
}
