import type { Actor } from '../tools/tool';
import { toBracedUuid } from './audit-keys';
import type { AuditRecordInput, AuditStore } from './audit-store';
import type { NameDirectory } from './name-directory';

const unique = (values: readonly string[]) => [...new Set(values)];

async function toNamedActor(actor: Actor, clientKey: string, names: NameDirectory): Promise<Actor> {
  if (actor.displayName || actor.userUuid === null) return actor;
  const found = await names.person(clientKey, actor.userUuid);
  if (!found?.displayName) return actor;
  return { ...actor, displayName: found.displayName, nickname: actor.nickname ?? found.nickname };
}

/**
 * The entry as people read it: repositories a trigger named by `{uuid}` (a panel, a button, a rule)
 * become `workspace/slug` in the list and in every sentence of it, every repository's uuid is kept for filters,
 * and the person gets their display name. Whatever cannot be named stays as it was.
 */
export async function toNamedAuditEntry(input: AuditRecordInput, names: NameDirectory): Promise<AuditRecordInput> {
  const renames = new Map<string, string>();
  const uuids = [...(input.repositoryUuids ?? [])];
  const repositories = await Promise.all(
    input.repositories.map(async (repository) => {
      const slash = repository.indexOf('/');
      if (slash < 0) return repository;
      const workspace = repository.slice(0, slash);
      const repo = repository.slice(slash + 1);
      const repoUuid = toBracedUuid(repo);
      if (repoUuid) uuids.push(repoUuid);
      // Named by slug too: its uuid is kept, so a filter by uuid finds entries of every trigger.
      const found = await names.repository(input.clientKey, workspace, repo);
      if (!found) return repository;
      if (found.uuid) uuids.push(found.uuid);
      if (found.fullName !== repository) renames.set(repository, found.fullName);
      // A bare `{uuid}` too (a button's trigger ref), after the longer `workspace/{uuid}` so that reads `acme/web` once.
      if (repoUuid) renames.set(repoUuid, found.fullName);
      return found.fullName;
    }),
  );
  const rename = (text: string): string => {
    let named = text;
    for (const [id, name] of renames) named = named.split(id).join(name);
    return named;
  };
  const renameOrNull = (text: string | null) => (text === null ? null : rename(text));
  return {
    ...input,
    actor: await toNamedActor(input.actor, input.clientKey, names),
    trigger: { ...input.trigger, ref: renameOrNull(input.trigger.ref) },
    repositories: unique(repositories),
    repositoryUuids: unique(uuids),
    planSummary: rename(input.planSummary),
    message: rename(input.message),
    steps: input.steps.map((s) => ({ ...s, summary: renameOrNull(s.summary), message: renameOrNull(s.message), links: s.links.map((l) => ({ ...l, label: rename(l.label) })) })),
  };
}

/** An {@link AuditStore} that names what it records (see {@link toNamedAuditEntry}); reads pass through. */
export function createNamingAuditStore(inner: AuditStore, names: NameDirectory): AuditStore {
  return {
    record: async (input) => inner.record(await toNamedAuditEntry(input, names)),
    get: (clientKey, id) => inner.get(clientKey, id),
    list: (clientKey, filter) => inner.list(clientKey, filter),
  };
}
