/** Which host an installation came from: Connect, or Forge beside it. */
export type HostKind = 'connect' | 'forge';

export const isHostKind = (value: string): value is HostKind => value === 'connect' || value === 'forge';

/** An installation of Bosun (Connect today), keyed by its tenant key (the Connect clientKey). */
export interface Tenant {
  clientKey: string;
  /** New for every installation (kept on reinstall, new after an uninstall): sessions are bound to it. */
  installId: string;
  /** The host the installation came from (its record says so: no guessing from keys). */
  host: HostKind;
  appKey: string;
  baseUrl: string;
  baseApiUrl: string;
  workspaceUuid: string | null;
  workspaceSlug: string | null;
  workspaceName: string | null;
  installedByUuid: string | null;
  installedByAccountId: string | null;
  installedAt: Date;
  updatedAt: Date;
}

/** The shared secret is only ever held sealed at rest; this shape exists only in memory. */
export interface TenantWithSecret extends Tenant {
  sharedSecret: string;
}

/** What a host records on install; `host` is 'connect' when left out. */
export type TenantInput = Omit<TenantWithSecret, 'installId' | 'host' | 'installedAt' | 'updatedAt'> & { host?: HostKind };

/** The tenant port: hosts record installations here; storage implements it. */
export interface TenantStore {
  get(clientKey: string): Promise<Tenant | null>;
  /**
   * `fresh`: past any cache, from the record itself (a JWT that does not verify with a cached secret
   * may be signed with the one another instance's reinstall just stored).
   */
  getWithSecret(clientKey: string, options?: { fresh?: boolean }): Promise<TenantWithSecret | null>;
  /** Insert or replace on reinstall; keeps the first installedAt. */
  ensure(input: TenantInput, now: Date): Promise<Tenant>;
  /** Deletes every row this tenant owns, in every table. */
  purge(clientKey: string): Promise<void>;
}
