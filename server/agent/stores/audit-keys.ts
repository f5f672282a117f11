import type { Actor } from '../tools/tool';

/** `|a|b|`: one LIKE `%|a|%` then finds an entry exactly. */
export const toDelimited = (values: readonly string[]) => `|${values.join('|')}|`;
export const fromDelimited = (text: string) => text.split('|').filter((v) => v !== '');

const UUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** `{uuid}` in lower case when the text is a uuid (with or without braces), else null. */
export function toBracedUuid(text: string): string | null {
  const match = UUID.exec(text.trim());
  return match ? `{${(match[1] as string).toLowerCase()}}` : null;
}

/**
 * Every key an entry's repositories are found by, lower case: their `workspace/slug` names and their
 * `{uuid}`s. Stored with the entry, so a filter needs no join and no Bitbucket call.
 */
export function toRepositoryKeys(repositories: readonly string[], repositoryUuids: readonly string[] = []): string[] {
  const keys = [...repositories.map((r) => r.toLowerCase()), ...repositoryUuids.flatMap((u) => toBracedUuid(u) ?? [])];
  return [...new Set(keys)];
}

/**
 * The delimited fragments a repository filter matches in the stored keys (any one is enough):
 * `acme/web` matches that name, `web` any workspace's `…/web`, `{uuid}` (braces optional) the uuid
 * as stored alone or after a workspace (`acme/{uuid}`, entries written before names were resolved).
 */
export function toRepositoryFragments(filter: string): string[] {
  const value = filter.trim().toLowerCase();
  const last = value.includes('/') ? value.slice(value.lastIndexOf('/') + 1) : value;
  const uuid = toBracedUuid(last);
  if (uuid) return [`|${uuid}|`, `/${uuid}|`];
  return value.includes('/') ? [`|${value}|`] : [`|${value}|`, `/${value}|`];
}

/** What an actor filter compares: the text as typed (lower case, no leading @) and the uuid it may be. */
export interface ActorQuery {
  text: string;
  uuid: string | null;
}

export function toActorQuery(filter: string): ActorQuery {
  const text = filter.trim().replace(/^@/, '').toLowerCase();
  return { text, uuid: toBracedUuid(text) };
}

/** A person is found by uuid, account id, nickname, display name, or one word of their display name. */
export function matchesActor(actor: Actor, query: ActorQuery): boolean {
  const { text, uuid } = query;
  if (text === '') return false;
  if (uuid !== null && actor.userUuid?.toLowerCase() === uuid) return true;
  if (actor.accountId?.toLowerCase() === text || actor.nickname?.toLowerCase() === text) return true;
  const name = actor.displayName?.toLowerCase();
  return name !== undefined && (name === text || name.split(/\s+/).includes(text));
}
