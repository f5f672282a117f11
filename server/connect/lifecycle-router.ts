import express, { type Router } from 'express';
import type { Logger } from '../log';
import type { Bulkhead, LifecycleListener, TenantStore } from '../host';
import { extractConnectToken, readUnverifiedIssuer, verifyConnectJwt } from './connect-jwt';
import type { ConnectDescriptor } from './descriptor';
import { HostAuthError, LifecycleRejectedError } from './errors';
import { installedPayloadSchema, uninstalledPayloadSchema } from './lifecycle-payload';
import { checkInstallationUrl, type InstallationUrlPolicy } from './installation-url-policy';

export interface LifecycleDeps {
  descriptor: ConnectDescriptor;
  tenants: TenantStore;
  /** The core hears of each verified install and uninstall (it queues the first sync; it purges). */
  lifecycle: LifecycleListener;
  urlPolicy: InstallationUrlPolicy;
  logger: Logger;
  now: () => Date;
  /** Lifecycle calls taken a few at a time (host/create-bulkhead.ts); without it, all at once. */
  bulkhead?: Bulkhead;
}

function describeZodError(err: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return err.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');
}


/**
 * installed / uninstalled, verified as Bitbucket signs them (REFERENCE.md §3):
 * a first install is signed with the secret it carries, a reinstall or uninstall with the secret we stored.
 * ACE accepts an unsigned first install for Bitbucket; we do not.
 */
export function createLifecycleRouter(deps: LifecycleDeps): Router {
  const router = express.Router();
  const json = express.json({ limit: '64kb' });
  const nowSeconds = () => Math.floor(deps.now().getTime() / 1000);
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => (deps.bulkhead ? deps.bulkhead.run(fn) : fn());

  router.post(deps.descriptor.lifecycle.installed, json, (req, res, next) => {
    inTurn(async () => {
      const parsed = installedPayloadSchema.safeParse(req.body);
      if (!parsed.success) {
        throw new LifecycleRejectedError('LIFECYCLE_BAD_BODY', `Invalid installed payload: ${describeZodError(parsed.error)}`, 400);
      }
      const body = parsed.data;
      if (body.key !== deps.descriptor.key) {
        throw new LifecycleRejectedError('LIFECYCLE_WRONG_APP', `This Bosun serves app "${deps.descriptor.key}", not "${body.key}"`, 400);
      }
      for (const [field, url] of [['baseUrl', body.baseUrl], ['baseApiUrl', body.baseApiUrl]] as const) {
        const problem = checkInstallationUrl(url, deps.urlPolicy);
        if (problem) {
          throw new LifecycleRejectedError(
            'LIFECYCLE_HOST_NOT_ALLOWED',
            `The installation's ${field} ${problem}; only Bitbucket's own hosts are accepted (BOSUN_ALLOWED_HOSTS lists them)`,
            403,
          );
        }
      }
      const token = extractConnectToken(req.header('authorization'), undefined);
      if (!token) throw new HostAuthError('JWT_MISSING', 'The installed request must be signed (Authorization: JWT …)');
      const issuer = readUnverifiedIssuer(token);
      if (issuer !== body.clientKey) throw new HostAuthError('JWT_TENANT_MISMATCH', 'The JWT issuer is not the installing clientKey');
      const existing = await deps.tenants.getWithSecret(body.clientKey);
      verifyConnectJwt({
        token,
        secret: existing ? existing.sharedSecret : body.sharedSecret,
        method: req.method,
        url: req.originalUrl,
        baseUrl: deps.descriptor.baseUrl,
        nowSeconds: nowSeconds(),
        clientKey: body.clientKey,
      });
      const workspace = body.principal;
      const tenant = await deps.tenants.ensure(
        {
          clientKey: body.clientKey,
          appKey: body.key,
          sharedSecret: body.sharedSecret,
          baseUrl: body.baseUrl.replace(/\/+$/, ''),
          baseApiUrl: body.baseApiUrl.replace(/\/+$/, ''),
          workspaceUuid: workspace?.uuid ?? null,
          workspaceSlug: workspace?.username ?? workspace?.slug ?? null,
          workspaceName: workspace?.display_name ?? null,
          installedByUuid: body.actor?.uuid ?? body.user?.uuid ?? null,
          installedByAccountId: body.actor?.account_id ?? body.user?.account_id ?? null,
          host: 'connect',
        },
        deps.now(),
      );
      deps.logger.info('Installation stored', { tenant: body.clientKey, reinstall: Boolean(existing) });
      await deps.lifecycle({ kind: 'installed', host: 'connect', tenant, reinstall: Boolean(existing) });
      res.status(204).end();
    }).catch(next);
  });

  router.post(deps.descriptor.lifecycle.uninstalled, json, (req, res, next) => {
    inTurn(async () => {
      const parsed = uninstalledPayloadSchema.safeParse(req.body);
      if (!parsed.success) {
        throw new LifecycleRejectedError('LIFECYCLE_BAD_BODY', `Invalid uninstalled payload: ${describeZodError(parsed.error)}`, 400);
      }
      const token = extractConnectToken(req.header('authorization'), undefined);
      if (!token) throw new HostAuthError('JWT_MISSING', 'The uninstalled request must be signed (Authorization: JWT …)');
      const issuer = readUnverifiedIssuer(token);
      const tenant = await deps.tenants.getWithSecret(issuer);
      if (!tenant) throw new HostAuthError('JWT_UNKNOWN_ISSUER', 'No installation is known for this JWT issuer');
      verifyConnectJwt({
        token,
        secret: tenant.sharedSecret,
        method: req.method,
        url: req.originalUrl,
        baseUrl: deps.descriptor.baseUrl,
        nowSeconds: nowSeconds(),
        clientKey: tenant.clientKey,
      });
      if (parsed.data.clientKey !== tenant.clientKey) {
        throw new HostAuthError('JWT_TENANT_MISMATCH', 'An installation may only uninstall itself');
      }
      // The core purges every row the tenant owns.
      await deps.lifecycle({ kind: 'uninstalled', host: 'connect', clientKey: tenant.clientKey });
      deps.logger.info('Installation removed and its data purged', { tenant: tenant.clientKey });
      res.status(204).end();
    }).catch(next);
  });

  return router;
}
