import type { AuditEntry } from '../executor/plan';
import { toPageBounds, type AuditStore } from './audit-store';

/** In-memory {@link AuditStore} for unit tests; same filters and order as the SQL one. */
export function createMemoryAuditStore(): AuditStore & { all(): AuditEntry[] } {
  const rows: AuditEntry[] = [];
  let nextId = 1;
  const copy = (e: AuditEntry): AuditEntry => structuredClone(e);
  return {
    async record(input) {
      const entry: AuditEntry = { ...structuredClone(input), id: nextId++ };
      rows.push(entry);
      return copy(entry);
    },
    async get(clientKey, id) {
      const row = rows.find((r) => r.clientKey === clientKey && r.id === id);
      return row ? copy(row) : null;
    },
    async list(clientKey, filter = {}) {
      const { limit, offset } = toPageBounds(filter);
      const matching = rows
        .filter(
          (r) =>
            r.clientKey === clientKey &&
            (filter.repository === undefined || r.repositories.includes(filter.repository)) &&
            (filter.actorUuid === undefined || r.actor.userUuid === filter.actorUuid) &&
            (filter.tool === undefined || r.tools.includes(filter.tool)) &&
            (filter.outcome === undefined || r.outcome === filter.outcome),
        )
        .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (b.id ?? 0) - (a.id ?? 0));
      return { entries: matching.slice(offset, offset + limit).map(copy), total: matching.length };
    },
    all: () => rows.map(copy),
  };
}
