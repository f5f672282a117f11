import type { ClientResolver } from '../client-resolver';
import type { Logger } from '../../log';

export interface RepositoryName {
  /** `workspace/slug`, as people read it. */
  fullName: string;
  uuid: string | null;
}

export interface PersonName {
  displayName: string | null;
  nickname: string | null;
}

/** How Bosun turns the ids a trigger carried into the names people read; null when it cannot tell. */
export interface NameDirectory {
  repository(clientKey: string, workspace: string, repo: string): Promise<RepositoryName | null>;
  person(clientKey: string, userUuid: string): Promise<PersonName | null>;
}

export interface NameDirectoryOptions {
  clients: ClientResolver;
  /** Names Bosun already holds without asking Bitbucket (a person's stored connection profile). */
  knownPerson?: (clientKey: string, userUuid: string) => Promise<PersonName | null>;
  /** The tenant's workspace (slug or `{uuid}`), where people are looked up as members. */
  workspaceOf: (clientKey: string) => Promise<string | null>;
  now: () => Date;
  logger: Logger;
  /** How long a name is trusted; default 10 minutes. Renames show up after that. */
  ttlMs?: number;
  /** Names kept at most; the oldest go first. Default 2,000. */
  maxEntries?: number;
}

/**
 * Names from Bitbucket as the installation (repository by slug or uuid, workspace member), cached per
 * tenant for a while so an execution costs at most one call per name it has not seen lately.
 */
export function createNameDirectory(options: NameDirectoryOptions): NameDirectory {
  const { clients, now, logger } = options;
  const ttlMs = options.ttlMs ?? 600_000;
  const maxEntries = options.maxEntries ?? 2_000;
  const cache = new Map<string, { until: number; value: RepositoryName | PersonName | null }>();

  async function cached<T extends RepositoryName | PersonName>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const hit = cache.get(key);
    if (hit && hit.until > now().getTime()) return hit.value as T | null;
    let value: T | null = null;
    try {
      value = await load();
    } catch (error) {
      // A name is a nicety: the entry is written with the ids it has, and the next one tries again.
      logger.warn('Could not look up a name for the audit log', { error });
      return null;
    }
    cache.delete(key);
    cache.set(key, { until: now().getTime() + ttlMs, value });
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    return value;
  }

  return {
    repository: (clientKey, workspace, repo) =>
      cached(`repo\n${clientKey}\n${workspace.toLowerCase()}\n${repo.toLowerCase()}`, async () => {
        const client = await clients.forInstallation(clientKey);
        const found = await client.repositories.get(workspace, repo);
        return { fullName: found.full_name, uuid: found.uuid };
      }),
    person: (clientKey, userUuid) =>
      cached(`person\n${clientKey}\n${userUuid.toLowerCase()}`, async () => {
        const known = await options.knownPerson?.(clientKey, userUuid);
        if (known?.displayName) return known;
        const workspace = await options.workspaceOf(clientKey);
        if (!workspace) return null;
        const client = await clients.forInstallation(clientKey);
        const { user } = await client.workspaces.getMember(workspace, userUuid);
        return user ? { displayName: user.display_name ?? null, nickname: user.nickname ?? null } : null;
      }),
  };
}
