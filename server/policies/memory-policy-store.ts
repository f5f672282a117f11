import { PolicyConflictError } from './errors';
import type { PolicyScope, PolicyStore, StoredPolicy } from './policy-store';

/** For unit tests: the same contract as the SQL store. */
export function createMemoryPolicyStore(now: () => Date = () => new Date()): PolicyStore {
  const rows = new Map<string, StoredPolicy>();
  const keyOf = (clientKey: string, scope: PolicyScope) => `${clientKey}\u0000${scope}`;
  return {
    async get(clientKey, scope) {
      return structuredClone(rows.get(keyOf(clientKey, scope)) ?? null);
    },
    async list(clientKey) {
      return [...rows.entries()].filter(([k]) => k.startsWith(`${clientKey}\u0000`)).map(([, v]) => structuredClone(v));
    },
    async save(clientKey, scope, layer, updatedBy, expectedVersion) {
      const current = rows.get(keyOf(clientKey, scope));
      if ((current?.version ?? 0) !== expectedVersion) throw new PolicyConflictError(scope, current?.version ?? 0);
      const saved: StoredPolicy = { scope, layer: structuredClone(layer), updatedBy, updatedAt: now(), version: expectedVersion + 1 };
      rows.set(keyOf(clientKey, scope), saved);
      return structuredClone(saved);
    },
  };
}
