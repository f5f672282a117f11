import { isBosunError } from '../../errors';
import type { InstallationClientFactory, Tenant, TenantStore } from '../../host';
import { NotWorkspaceAdminError } from './not-workspace-admin-error';

export interface WorkspaceAdminCheck {
  /**
   * Whether Bitbucket says this person administers the tenant's workspace (permission `owner`).
   * A yes is trusted for the TTL; a no is never served from the cache, so whoever was just made
   * an admin gets in at once, and a refusal always reflects what Bitbucket says now.
   */
  isAdmin(tenant: Tenant, userUuid: string | null): Promise<boolean>;
  /** Throws NotWorkspaceAdminError unless isAdmin. */
  requireAdmin(tenant: Tenant, userUuid: string | null): Promise<void>;
}

export interface WorkspaceAdminCheckDeps {
  tenants: TenantStore;
  clients: InstallationClientFactory;
  now: () => Date;
  /** How long a "yes" is trusted; 0 asks Bitbucket every time. */
  ttlMs: number;
}

/** Bitbucket uuids as Connect passes them; anything else cannot be an admin (and never reaches a BBQL query). */
const BRACED_UUID = /^\{[0-9a-f-]{36}\}$/i;
/** Past this many entries, expired ones are swept on the next insert. */
const SWEEP_AT = 1000;

/**
 * Asks Bitbucket, as the installation, for the viewer's workspace permission:
 * `GET /2.0/workspaces/{workspace}/permissions?q=user.uuid="{uuid}"`
 * (https://developer.atlassian.com/cloud/bitbucket/rest/api-group-workspaces/#api-workspaces-workspace-permissions-get).
 * The answer is cached per (tenant, user); the client never decides.
 */
export function createWorkspaceAdminCheck(deps: WorkspaceAdminCheckDeps): WorkspaceAdminCheck {
  const trustedUntil = new Map<string, number>();
  const inFlight = new Map<string, Promise<boolean>>();

  const ask = async (tenant: Tenant, userUuid: string): Promise<boolean> => {
    const full = await deps.tenants.getWithSecret(tenant.clientKey);
    const workspace = tenant.workspaceUuid ?? tenant.workspaceSlug;
    if (!full || !workspace) return false;
    try {
      const entries = await deps.clients.forTenant(full).workspaces.listPermissions(workspace, { q: `user.uuid="${userUuid}"`, max: 10 });
      return entries.some((e) => e.user?.uuid?.toLowerCase() === userUuid.toLowerCase() && e.permission === 'owner');
    } catch (err) {
      // Bitbucket refused to tell Bosun: nobody can be vouched for, so nobody is an admin.
      if (isBosunError(err) && (err.code === 'BITBUCKET_FORBIDDEN' || err.code === 'BITBUCKET_UNAUTHORIZED')) return false;
      throw err;
    }
  };

  const remember = (key: string, admin: boolean) => {
    const now = deps.now().getTime();
    if (!admin || deps.ttlMs <= 0) {
      trustedUntil.delete(key);
      return;
    }
    if (trustedUntil.size >= SWEEP_AT) {
      for (const [k, until] of trustedUntil) if (until <= now) trustedUntil.delete(k);
    }
    trustedUntil.set(key, now + deps.ttlMs);
  };

  const isAdmin = async (tenant: Tenant, userUuid: string | null): Promise<boolean> => {
    if (!userUuid || !BRACED_UUID.test(userUuid)) return false;
    const key = `${tenant.clientKey}\n${userUuid.toLowerCase()}`;
    const until = trustedUntil.get(key);
    if (until !== undefined && until > deps.now().getTime()) return true;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = ask(tenant, userUuid)
        .then((admin) => {
          remember(key, admin);
          return admin;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };

  return {
    isAdmin,
    async requireAdmin(tenant, userUuid) {
      if (!(await isAdmin(tenant, userUuid))) throw new NotWorkspaceAdminError();
    },
  };
}
