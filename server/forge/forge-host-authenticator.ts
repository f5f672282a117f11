import type { Request } from 'express';
import { decodeJwt } from 'jose';
import type { HostActor, HostAuthenticator, HostRequest, PageName, Tenant, TenantStore, Viewer } from '../host';
import { ForgeRefusedError, ForgeTokenError } from './errors';
import { FORGE_SYSTEM_TOKEN_HEADER, FORGE_USER_TOKEN_HEADER } from './forge-clients';
import type { ForgeTokenCache } from './forge-token-cache';
import type { ForgeUserResolver } from './forge-user-resolver';
import { FIT_ISSUER, readBearer, type FitVerifier, type ForgeInvocation } from './verify-invocation-token';

/** manifest.yml's module keys → the Bosun page each renders (one Custom UI resource for all). */
export const forgePages: Readonly<Record<string, PageName>> = {
  'bosun-pr-panel': 'pr-panel',
  'bosun-pr-card': 'pr-panel',
  'bosun-pr-action': 'pr-panel',
  'bosun-repo-dashboard': 'repo-dashboard',
  'bosun-admin-settings': 'admin-settings',
  'bosun-workspace': 'workspace',
  'bosun-personal-settings': 'personal-settings',
};

export interface ForgeHostAuthenticator extends HostAuthenticator {
  /** A FIT-carrying request for an installation Bosun knows: 401 for a bad FIT, 403 for anything else. */
  verifyInvocation(req: Pick<HostRequest, 'header'>): Promise<{ tenant: Tenant; invocation: ForgeInvocation }>;
}

export interface ForgeHostAuthenticatorDeps {
  verify: FitVerifier;
  tenants: TenantStore;
  appId: string;
  /** Keeps the app system token each invocation carries, for the installation clients. */
  tokens?: ForgeTokenCache;
  /** Finds the viewer's Bitbucket uuid (pages need it); without it Forge viewers have none. */
  users?: ForgeUserResolver;
}

/** Every Forge installation is stored with the Forge app's id as its appKey: that is what makes it a Forge tenant. */
export const isForgeTenant = (tenant: Pick<Tenant, 'appKey'>, appId: string): boolean => tenant.appKey === appId;

/**
 * The Forge side of the host port. Forge pages carry a FIT on every call (invokeRemote), so a
 * "session" is the FIT itself: no Bosun session token is minted for them.
 */
export function createForgeHostAuthenticator(deps: ForgeHostAuthenticatorDeps): ForgeHostAuthenticator {
  const verifyInvocation = async (req: Pick<HostRequest, 'header'>) => {
    const token = readBearer(req.header('authorization'));
    if (!token) throw new ForgeTokenError('FIT_MISSING', 'This request must carry a Forge Invocation Token (Authorization: Bearer …)');
    const invocation = await deps.verify(token);
    const tenant = await deps.tenants.get(invocation.installationId);
    if (!tenant) throw new ForgeRefusedError('FORGE_NOT_INSTALLED', 'Bosun has no record of this Forge installation');
    // A Connect installation's row is never reachable with a FIT, whatever its key.
    if (!isForgeTenant(tenant, deps.appId)) throw new ForgeRefusedError('FORGE_OTHER_APP', 'This installation is not one of the Forge app');
    const systemToken = req.header(FORGE_SYSTEM_TOKEN_HEADER);
    if (deps.tokens && systemToken && systemToken.length <= 8192) await deps.tokens.remember(tenant.clientKey, systemToken);
    return { tenant, invocation };
  };
  return {
    verifyInvocation,
    async verifyHostRequest(req) {
      const { tenant, invocation } = await verifyInvocation(req);
      const actor: HostActor = { userUuid: null, accountId: invocation.accountId };
      return { tenant, actor };
    },
    async verifySession(req) {
      const { tenant, invocation } = await verifyInvocation(req);
      const page = invocation.moduleKey ? forgePages[invocation.moduleKey] : undefined;
      if (!page) throw new ForgeRefusedError('FORGE_UNKNOWN_MODULE', 'This Forge module has no Bosun page');
      const userUuid = deps.users ? await deps.users.toUserUuid(invocation, { get: (name) => req.header(name) ?? undefined }) : null;
      const viewer: Viewer = { clientKey: tenant.clientKey, installId: tenant.installId, userUuid, accountId: invocation.accountId, page, host: 'forge' };
      // The person's own token, for acting as them in this request (Forge sends it with user-initiated calls).
      const userToken = userUuid ? req.header(FORGE_USER_TOKEN_HEADER) : undefined;
      return userToken ? { tenant, viewer, userToken } : { tenant, viewer };
    },
    mintSession() {
      throw new ForgeRefusedError('FORGE_NO_SESSION', 'Forge pages authenticate every call with a FIT; Bosun mints no session for them');
    },
  };
}

/** Does this bearer token claim to be a FIT? Only chooses which host verifies it; both verify in full. */
export function isForgeInvocationToken(token: string): boolean {
  try {
    return decodeJwt(token).iss === FIT_ISSUER;
  } catch {
    return false;
  }
}

/**
 * One authenticator for a server that is both hosts' remote. Page sessions: a bearer token that
 * claims to be a FIT goes to Forge (Forge pages send one with every call), anything else to
 * Connect's session tokens. Host requests (webhooks, iframe URLs) stay Connect's alone: a Custom
 * UI page can make Forge call any path of the remote with a valid FIT, so a FIT must never pass
 * for a webhook; Forge's own calls have their own routes (forge-remote-router).
 */
export function createDualHostAuthenticator(connect: HostAuthenticator, forge: HostAuthenticator): HostAuthenticator {
  const pick = (req: Request) => {
    const token = readBearer(req.header('authorization'));
    return token && isForgeInvocationToken(token) ? forge : connect;
  };
  return {
    verifyHostRequest: (req) => connect.verifyHostRequest(req),
    verifySession: (req) => pick(req).verifySession(req),
    // Only Connect pages get Bosun sessions.
    mintSession: (viewer) => connect.mintSession(viewer),
  };
}
