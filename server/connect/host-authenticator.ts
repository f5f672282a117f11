import { HostAuthError, type HostAuthenticator, type HostRequest, type Tenant, type TenantStore, type TenantWithSecret } from '../host';
import { checkConnectClaims, computeQsh, decodeConnectToken, extractConnectToken, verifyConnectJwt, type ConnectClaims } from './connect-jwt';
import { mintSessionToken, verifySessionToken } from './session-token';

export interface HostAuthenticatorDeps {
  tenants: TenantStore;
  baseUrl: string;
  sessionKey: Buffer;
  now: () => Date;
}

const stringParam = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : null;

/** The Connect side of the host port: Connect JWTs with qsh, and Bosun's own iframe sessions. */
export function createHostAuthenticator(deps: HostAuthenticatorDeps): HostAuthenticator {
  const nowSeconds = () => Math.floor(deps.now().getTime() / 1000);
  // Webhooks all come to the same few URLs: their qsh is computed once, not per delivery. Bounded, since
  // iframe URLs carry their context in the query (a new key per view).
  const qshByRequest = new Map<string, string>();
  const expectedQsh = (method: string, url: string): string => {
    const key = `${method} ${url}`;
    let qsh = qshByRequest.get(key);
    if (qsh === undefined) {
      qsh = computeQsh(method, url, deps.baseUrl);
      if (qshByRequest.size >= 256) qshByRequest.clear();
      qshByRequest.set(key, qsh);
    }
    return qsh;
  };
  /**
   * Tokens whose signature and claims were verified, by the token string, with the installation
   * they were verified for. A burst of webhooks carries the same token (Bitbucket signs a delivery's
   * claims, identical within a second for one URL; the bench signs one for its whole run), and its
   * decode, HMAC and claims parse were a third of the intake's own CPU per delivery. A hit counts
   * only while the tenant store hands back that very installation object: a reinstall, an uninstall
   * or the store's cache expiry (which bounds what another instance's changes take to be seen) all
   * give a new one, and the token is verified again. The clock and this request's qsh are checked
   * on every request. Bounded, like the qsh map: a flood of distinct tokens only clears it.
   */
  const verifiedTokens = new Map<string, { tenant: TenantWithSecret; claims: ConnectClaims; publicTenant: Tenant }>();
  return {
    async verifyHostRequest(req: HostRequest) {
      const token = extractConnectToken(req.header('authorization'), req.query.jwt);
      if (!token) throw new HostAuthError('JWT_MISSING', 'This request must carry a Connect JWT');
      const known = verifiedTokens.get(token);
      // Decoded once: the issuer picks the secret, and the signature is checked over the same segments.
      const decoded = known ? null : decodeConnectToken(token);
      const issuer = known ? known.claims.iss : decoded!.issuer;
      let tenant = await deps.tenants.getWithSecret(issuer);
      if (!tenant) throw new HostAuthError('JWT_UNKNOWN_ISSUER', 'No installation is known for this JWT issuer');
      const qsh = expectedQsh(req.method, req.originalUrl);
      let publicTenant: Tenant;
      if (known && known.tenant === tenant) {
        checkConnectClaims(known.claims, { clientKey: tenant.clientKey, nowSeconds: nowSeconds(), expectedQsh: qsh });
        publicTenant = known.publicTenant;
      } else {
        const unverified = decoded ?? decodeConnectToken(token);
        const verify = (t: TenantWithSecret) =>
          verifyConnectJwt({
            token: unverified,
            expectedQsh: qsh,
            secret: t.sharedSecret,
            method: req.method,
            url: req.originalUrl,
            baseUrl: deps.baseUrl,
            nowSeconds: nowSeconds(),
            clientKey: t.clientKey,
          });
        let claims: ConnectClaims;
        try {
          claims = verify(tenant);
        } catch (err) {
          // The secret may be a cached one another instance's reinstall has replaced: ask the record
          // itself once, rather than refusing Bitbucket's deliveries until the cache expires.
          if (!(err instanceof HostAuthError && err.code === 'JWT_SIGNATURE')) throw err;
          const current = await deps.tenants.getWithSecret(issuer, { fresh: true });
          if (!current) throw new HostAuthError('JWT_UNKNOWN_ISSUER', 'No installation is known for this JWT issuer');
          if (current.sharedSecret === tenant.sharedSecret) throw err;
          tenant = current;
          claims = verify(tenant);
        }
        const { sharedSecret: _secret, ...rest } = tenant;
        publicTenant = Object.freeze(rest);
        if (verifiedTokens.size >= 1024) verifiedTokens.clear();
        verifiedTokens.set(token, { tenant, claims, publicTenant });
      }
      // Context parameters of an iframe URL are covered by the qsh, so the viewer they name is trustworthy.
      return { tenant: publicTenant, actor: { userUuid: stringParam(req.query.userUuid), accountId: stringParam(req.query.accountId) } };
    },
    async verifySession(req) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
      if (!match?.[1]) throw new HostAuthError('SESSION_INVALID', 'Missing session token (Authorization: Bearer …)');
      const viewer = verifySessionToken(match[1], deps.sessionKey, nowSeconds());
      const tenant = await deps.tenants.get(viewer.clientKey);
      // Uninstalled since the page loaded: its sessions die with it.
      if (!tenant) throw new HostAuthError('SESSION_INVALID', 'Bosun is no longer installed in this workspace');
      // Uninstalled and installed again: a session of the earlier installation is not one of this one's.
      if (tenant.installId !== viewer.installId) {
        throw new HostAuthError('SESSION_INVALID', 'Bosun was reinstalled in this workspace since this page loaded; reload the page');
      }
      return { tenant, viewer };
    },
    mintSession(viewer) {
      return mintSessionToken(viewer, deps.sessionKey, nowSeconds());
    },
  };
}
