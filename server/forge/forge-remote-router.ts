import express, { type Router } from 'express';
import { z } from 'zod';
import type { BitbucketClient } from '../bitbucket';
import type { LifecycleListener, Tenant, TenantStore } from '../host';
import type { Logger } from '../log';
import { ForgeRefusedError, ForgeRequestError, ForgeTokenError } from './errors';
import { FORGE_SYSTEM_TOKEN_HEADER, type ForgeClients } from './forge-clients';
import type { ForgeTokenCache } from './forge-token-cache';
import { forgePages, type ForgeHostAuthenticator } from './forge-host-authenticator';
import { forgeRoutes } from './forge-routes';
import { forgeProductEventSchema, toForgeEventDelivery, type ForgeEventIntake } from './forge-product-event';
import { toForgeTenantInput } from './forge-tenant';
import { readBearer, type FitVerifier } from './verify-invocation-token';

/** Bosun's answer to a merge check: the readiness oracle's verdict and its blockers, as sentences. */
export interface MergeCheckVerdict {
  ready: boolean;
  blockers: string[];
}

export type ForgeMergeCheck = (input: {
  tenant: Tenant;
  client: BitbucketClient;
  repositoryUuid: string;
  pullRequestId: number;
}) => Promise<MergeCheckVerdict>;

export interface ForgeRemoteRouterDeps {
  verify: FitVerifier;
  auth: ForgeHostAuthenticator;
  tenants: TenantStore;
  /** The core hears of each verified install, upgrade and uninstall (it queues the first sync; it purges). */
  lifecycle: LifecycleListener;
  clients: ForgeClients;
  /**
   * Keeps the app system token an installed or upgraded event carries, so the work the install queues (the first
   * mirror sync) can act as the app; forgotten on uninstall. Other calls keep theirs through the authenticator.
   */
  tokens?: ForgeTokenCache;
  mergeCheck: ForgeMergeCheck;
  /** The webhook intake: product events become the same deliveries and jobs as Connect webhooks. */
  intake: ForgeEventIntake;
  /** Bitbucket's site (the tenant's baseUrl), from configuration. */
  siteUrl: string;
  logger: Logger;
  now: () => Date;
}

const uuid = z.string().min(3).max(64);
const lifecycleEvent = z.looseObject({
  eventType: z.enum(['avi:forge:installed:app', 'avi:forge:upgraded:app', 'avi:forge:uninstalled:app']),
  /** The installation the event is about. */
  id: z.string().min(1).max(255).optional(),
  installerAccountId: z.string().min(1).max(128).optional(),
});
const mergeCheckRequest = z.looseObject({
  repository: z.looseObject({ uuid }),
  pullrequest: z.looseObject({ id: z.number().int().min(1).max(2_147_483_647) }),
});

const parse = <T>(schema: z.ZodType<T>, body: unknown, what: string): T => {
  const result = schema.safeParse(body);
  if (!result.success) throw new ForgeRequestError(`${what}: ${result.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ')}`);
  return result.data;
};

/** Express headers as the clients read them. */
const headersOf = (req: express.Request) => ({ get: (name: string) => req.header(name) ?? undefined });

/**
 * Forge Remote's calls to Bosun: lifecycle, the merge check and the page boot call. Every route
 * verifies the FIT first (401 only when it does not verify) and refuses everything else with 403.
 */
export function createForgeRemoteRouter(deps: ForgeRemoteRouterDeps): Router {
  const router = express.Router();
  const json = express.json({ limit: '256kb' });

  router.post(forgeRoutes.lifecycle, json, async (req, res, next) => {
    try {
      const token = readBearer(req.header('authorization'));
      if (!token) throw new ForgeTokenError('FIT_MISSING', 'Lifecycle events must carry a Forge Invocation Token');
      const invocation = await deps.verify(token);
      const event = parse(lifecycleEvent, req.body, 'lifecycle event');
      // The FIT was issued for one installation: it cannot install, or purge, another.
      if (event.id !== undefined && event.id !== invocation.installationId) {
        throw new ForgeRefusedError('FORGE_OTHER_INSTALLATION', "The event names another installation than its token's");
      }
      if (event.eventType === 'avi:forge:uninstalled:app') {
        await deps.tokens?.forget(invocation.installationId);
        // The core purges every row the tenant owns.
        await deps.lifecycle({ kind: 'uninstalled', host: 'forge', clientKey: invocation.installationId });
        deps.logger.info('Forge installation removed', { tenant: invocation.installationId });
      } else {
        const existing = await deps.tenants.get(invocation.installationId);
        if (existing && existing.appKey !== invocation.appId) throw new ForgeRefusedError('FORGE_OTHER_APP', 'This key belongs to another app');
        const input = toForgeTenantInput(invocation, { siteUrl: deps.siteUrl, installerAccountId: event.installerAccountId ?? null });
        const tenant = await deps.tenants.ensure(input, deps.now());
        deps.logger.info('Forge installation stored', { tenant: invocation.installationId, event: event.eventType });
        // Before the core hears of it: the first sync it queues may run at once.
        const systemToken = req.header(FORGE_SYSTEM_TOKEN_HEADER);
        if (systemToken && systemToken.length <= 8192) await deps.tokens?.remember(invocation.installationId, systemToken);
        await deps.lifecycle(
          event.eventType === 'avi:forge:upgraded:app'
            ? { kind: 'upgraded', host: 'forge', tenant }
            : { kind: 'installed', host: 'forge', tenant, reinstall: existing !== null },
        );
      }
      res.status(200).json({});
    } catch (err) {
      next(err);
    }
  });

  router.post(forgeRoutes.mergeCheck, json, async (req, res, next) => {
    try {
      const { tenant, invocation } = await deps.auth.verifyInvocation(req);
      const body = parse(mergeCheckRequest, req.body, 'merge check');
      const client = deps.clients.asApp(invocation, headersOf(req));
      const verdict = await deps.mergeCheck({ tenant, client, repositoryUuid: body.repository.uuid, pullRequestId: body.pullrequest.id });
      res.status(200).json({
        success: verdict.ready,
        message: verdict.ready ? 'Bosun: ready to merge.' : `Bosun: ${verdict.blockers.join(' ')}`.slice(0, 1000),
      });
    } catch (err) {
      next(err);
    }
  });

  // The scheduled trigger: its only work is the app system token it carries, which verifyInvocation keeps for the
  // installation's background work (Forge gives a remote no other way to get one: ECO-1107). Answered at once.
  router.post(forgeRoutes.scheduled, json, async (req, res, next) => {
    try {
      const { tenant } = await deps.auth.verifyInvocation(req);
      const token = req.header(FORGE_SYSTEM_TOKEN_HEADER);
      if (!token || token.length > 8192) throw new ForgeRefusedError('FORGE_NO_APP_TOKEN', 'The scheduled trigger brought no app system token (manifest.yml: appSystemToken on bosun-scheduled)');
      deps.logger.debug('Forge scheduled trigger: app token renewed', { tenant: tenant.clientKey });
      res.status(200).json({});
    } catch (err) {
      next(err);
    }
  });

  // Product events: verified, read into the webhook's shape, stored and enqueued, answered (Forge waits 5 s).
  router.post(forgeRoutes.events, json, async (req, res, next) => {
    try {
      const { tenant, invocation } = await deps.auth.verifyInvocation(req);
      const event = parse(forgeProductEventSchema, req.body, 'product event');
      const delivery = await toForgeEventDelivery({ tenant, client: deps.clients.asApp(invocation, headersOf(req)), event, receivedAt: deps.now() });
      if (!delivery) {
        res.status(200).json({ outcome: 'ignored' });
        return;
      }
      const { duplicate } = await deps.intake.accept(delivery);
      deps.logger.debug(duplicate ? 'Forge event retry acknowledged, already stored' : 'Forge event stored', { tenant: tenant.clientKey, deliveryId: delivery.requestUuid, event: delivery.eventKey });
      res.status(200).json({ outcome: duplicate ? 'duplicate' : 'stored' });
    } catch (err) {
      next(err);
    }
  });

  // The page's first call: which Bosun page this module is and for whom (Forge pages' boot context).
  router.post(forgeRoutes.invoke, json, async (req, res, next) => {
    try {
      const { tenant, viewer } = await deps.auth.verifySession(req);
      res.setHeader('Cache-Control', 'no-store');
      // userUuid: Bitbucket's own name for the viewer (asked with their token), which pages use to know "me".
      res.status(200).json({ page: viewer.page, workspaceUuid: tenant.workspaceUuid, accountId: viewer.accountId, userUuid: viewer.userUuid, modules: Object.keys(forgePages).length });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
