import type { Request } from 'express';
import type { Tenant, TenantStore } from '../storage';
import { extractConnectToken, readUnverifiedIssuer, verifyConnectJwt, type ConnectClaims } from './connect-jwt';
import { ConnectAuthError } from './errors';
import { verifySessionToken, type Viewer } from './session-token';

export interface HostAuthenticator {
  /** A request Bitbucket made or built (iframe URL, webhook): Connect JWT with qsh. */
  verifyHostRequest(req: Request): Promise<{ tenant: Tenant; claims: ConnectClaims }>;
  /** A request from one of our iframes: the session token minted for it. */
  verifySession(req: Request): Promise<{ tenant: Tenant; viewer: Viewer }>;
}

export interface HostAuthenticatorDeps {
  tenants: TenantStore;
  baseUrl: string;
  sessionKey: Buffer;
  now: () => Date;
}

export function createHostAuthenticator(deps: HostAuthenticatorDeps): HostAuthenticator {
  const nowSeconds = () => Math.floor(deps.now().getTime() / 1000);
  return {
    async verifyHostRequest(req) {
      const token = extractConnectToken(req.header('authorization'), req.query.jwt);
      if (!token) throw new ConnectAuthError('JWT_MISSING', 'This request must carry a Connect JWT');
      const issuer = readUnverifiedIssuer(token);
      const tenant = await deps.tenants.getWithSecret(issuer);
      if (!tenant) throw new ConnectAuthError('JWT_UNKNOWN_ISSUER', 'No installation is known for this JWT issuer');
      const claims = verifyConnectJwt({
        token,
        secret: tenant.sharedSecret,
        method: req.method,
        url: req.originalUrl,
        baseUrl: deps.baseUrl,
        nowSeconds: nowSeconds(),
        clientKey: tenant.clientKey,
      });
      const { sharedSecret: _secret, ...publicTenant } = tenant;
      return { tenant: publicTenant, claims };
    },
    async verifySession(req) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
      if (!match?.[1]) throw new ConnectAuthError('SESSION_INVALID', 'Missing session token (Authorization: Bearer …)');
      const viewer = verifySessionToken(match[1], deps.sessionKey, nowSeconds());
      const tenant = await deps.tenants.get(viewer.clientKey);
      // Uninstalled since the page loaded: its sessions die with it.
      if (!tenant) throw new ConnectAuthError('SESSION_INVALID', 'Bosun is no longer installed in this workspace');
      // Uninstalled and installed again: a session of the earlier installation is not one of this one's.
      if (tenant.installId !== viewer.installId) {
        throw new ConnectAuthError('SESSION_INVALID', 'Bosun was reinstalled in this workspace since this page loaded; reload the page');
      }
      return { tenant, viewer };
    },
  };
}
