import type { AuditEntry } from '../executor/plan';
import { matchesActor, toActorQuery, toDelimited, toRepositoryFragments, toRepositoryKeys } from './audit-keys';
import { toPageBounds, type AuditStore } from './audit-store';

/** In-memory {@link AuditStore} for unit tests; same filters and order as the SQL one. */
export function createMemoryAuditStore(): AuditStore & { all(): AuditEntry[] } {
  const rows: Array<{ entry: AuditEntry; repositoryKeys: string }> = [];
  let nextId = 1;
  const copy = (e: AuditEntry): AuditEntry => structuredClone(e);
  return {
    async record(input) {
      const { repositoryUuids, ...rest } = input;
      const entry: AuditEntry = { ...structuredClone(rest), id: nextId++ };
      rows.push({ entry, repositoryKeys: toDelimited(toRepositoryKeys(entry.repositories, repositoryUuids)) });
      return copy(entry);
    },
    async get(clientKey, id) {
      const row = rows.find((r) => r.entry.clientKey === clientKey && r.entry.id === id);
      return row ? copy(row.entry) : null;
    },
    async list(clientKey, filter = {}) {
      const { limit, offset } = toPageBounds(filter);
      const fragments = filter.repository === undefined ? null : toRepositoryFragments(filter.repository);
      const actor = filter.actor === undefined || filter.actor.trim() === '' ? null : toActorQuery(filter.actor);
      const matching = rows
        .filter(
          ({ entry: r, repositoryKeys }) =>
            r.clientKey === clientKey &&
            (fragments === null || fragments.some((f) => repositoryKeys.includes(f))) &&
            (filter.actorUuid === undefined || r.actor.userUuid === filter.actorUuid) &&
            (actor === null || matchesActor(r.actor, actor)) &&
            (filter.tool === undefined || r.tools.includes(filter.tool)) &&
            (filter.outcome === undefined || r.outcome === filter.outcome),
        )
        .map((r) => r.entry)
        .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (b.id ?? 0) - (a.id ?? 0));
      return { entries: matching.slice(offset, offset + limit).map(copy), total: matching.length };
    },
    all: () => rows.map((r) => copy(r.entry)),
  };
}
