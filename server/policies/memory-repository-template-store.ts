import { TemplateConflictError } from './repository-template-errors';
import type { RepositoryTemplateStore, StoredRepositoryTemplate, TemplateBinding } from './repository-template-store';

/** For unit tests: the same contract as the SQL store. */
export function createMemoryRepositoryTemplateStore(now: () => Date = () => new Date()): RepositoryTemplateStore {
  const templates = new Map<string, StoredRepositoryTemplate>();
  const bindings = new Map<string, TemplateBinding>();
  const keyOf = (clientKey: string, name: string) => `${clientKey}\u0000${name}`;
  const ofTenant = <T>(map: Map<string, T>, clientKey: string) =>
    [...map.entries()].filter(([k]) => k.startsWith(`${clientKey}\u0000`)).map(([, v]) => structuredClone(v));
  return {
    async list(clientKey) {
      return ofTenant(templates, clientKey).sort((a, b) => a.template.name.localeCompare(b.template.name));
    },
    async get(clientKey, name) {
      return structuredClone(templates.get(keyOf(clientKey, name)) ?? null);
    },
    async save(clientKey, template, updatedBy, expectedVersion) {
      const current = templates.get(keyOf(clientKey, template.name));
      if ((current?.version ?? 0) !== expectedVersion) throw new TemplateConflictError(template.name, current?.version ?? 0);
      const saved: StoredRepositoryTemplate = { template: structuredClone(template), updatedBy, updatedAt: now(), version: expectedVersion + 1 };
      templates.set(keyOf(clientKey, template.name), saved);
      return structuredClone(saved);
    },
    async delete(clientKey, name) {
      const existed = templates.delete(keyOf(clientKey, name));
      for (const [k, b] of bindings) if (k.startsWith(`${clientKey}\u0000`) && b.template === name) bindings.delete(k);
      return existed;
    },
    async listBindings(clientKey, template) {
      return ofTenant(bindings, clientKey)
        .filter((b) => template === undefined || b.template === template)
        .sort((a, b) => a.fullName.localeCompare(b.fullName));
    },
    async getBinding(clientKey, fullName) {
      return structuredClone(bindings.get(keyOf(clientKey, fullName)) ?? null);
    },
    async ensureBinding(clientKey, binding) {
      bindings.set(keyOf(clientKey, binding.fullName), structuredClone(binding));
    },
  };
}
