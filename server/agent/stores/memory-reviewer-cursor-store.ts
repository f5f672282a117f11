import type { ReviewerCursor, ReviewerCursorStore } from './reviewer-cursor-store';

/** In-memory {@link ReviewerCursorStore} for tests and single-process use. */
export function createMemoryReviewerCursorStore(): ReviewerCursorStore {
  const rows = new Map<string, ReviewerCursor>();
  const keyOf = (clientKey: string, scope: string, group: string) => JSON.stringify([clientKey, scope, group]);
  return {
    async load(clientKey, scope, groups) {
      const out: Record<string, ReviewerCursor> = {};
      for (const g of groups) {
        const row = rows.get(keyOf(clientKey, scope, g));
        if (row) out[g] = { ...row };
      }
      return out;
    },
    async advance(clientKey, scope, claim, moves) {
      // Checked, then written, with no await between: atomic within the process.
      if (moves.some((m) => (rows.get(keyOf(clientKey, scope, m.group))?.version ?? 0) !== m.expectedVersion)) return false;
      for (const m of moves) rows.set(keyOf(clientKey, scope, m.group), { position: m.position, version: m.expectedVersion + 1, lastClaim: claim });
      return true;
    },
  };
}
