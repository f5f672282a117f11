import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createSandbox, type Sandbox } from '../../sandbox';
import { createForgeHost, type ForgeHost } from '../../sandbox/forge/create-forge-host';
import { createKeyRing, createSecretBox } from '../../server/auth';
import { createHostAuthenticator } from '../../server/connect';
import { createForgeMergeCheck } from '../../server/create-forge-merge-check';
import { createLifecycleSubscriber } from '../../server/create-lifecycle-subscriber';
import { MIRROR_SYNC_JOB } from '../../server/create-workspace-views';
import {
  createDualHostAuthenticator,
  createFitVerifier,
  createForgeClients,
  createForgeHostAuthenticator,
  createForgeRemoteRouter,
  type ForgeHostAuthenticator,
} from '../../server/forge';
import type { HostAuthenticator } from '../../server/host';
import { createDeliveryIntake, createSqlJobQueue } from '../../server/jobs';
import { createLogger } from '../../server/log';
import { createDatabase, createTenantStore, toDatabaseBusyError, type Database, type TenantStore } from '../../server/storage';
import { createErrorHandler } from '../../server/web/error-handler';
import { createTestDatabase, type TestDatabase } from '../helpers/test-databases';

export interface ForgeStack {
  sandbox: Sandbox;
  sandboxUrl: string;
  forge: ForgeHost;
  bosunUrl: string;
  db: Database;
  tenants: TenantStore;
  forgeAuth: ForgeHostAuthenticator;
  /** Connect's authenticator and the one that serves both hosts, as the app would wire them. */
  connectAuth: HostAuthenticator;
  dualAuth: HostAuthenticator;
  /** How often Bosun fetched the sandbox's JWKS. */
  jwksFetches(): number;
  close(): Promise<void>;
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** The sandbox, its Forge platform (own JWKS) and Bosun's Forge remote on a real database, all over real HTTP. */
export async function startForgeStack(kind: 'sqlite' | 'postgres'): Promise<ForgeStack> {
  const sandbox = createSandbox({ publicUrl: 'http://sandbox.test', logger: quiet, webhookRetryDelaysMs: [20] });
  const sandboxServer = await sandbox.listen(0);
  const database: TestDatabase = await createTestDatabase(kind);
  const logger = createLogger({ level: 'silent' });
  const db = await createDatabase({ url: database.url, logger, schema: database.schema });
  const tenants = createTenantStore(db, createSecretBox(createKeyRing([{ id: 'k1', key: randomBytes(32) }])));
  const now = () => new Date();

  const app = express();
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const bosunUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const forge = await createForgeHost({ state: sandbox.state, apiBaseUrl: sandboxServer.url, remoteUrl: bosunUrl, now });
  const jwksServer = await forge.listen(0);
  let fetches = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    if (String(input instanceof Request ? input.url : input) === forge.jwksUrl) fetches += 1;
    return fetch(input, init);
  };
  const verify = createFitVerifier({ appId: forge.appId, jwksUrl: forge.jwksUrl, fetch: countingFetch, now });
  const forgeAuth = createForgeHostAuthenticator({ verify, tenants, appId: forge.appId });
  const intake = createDeliveryIntake({ db, now, logger });
  const connectAuth = createHostAuthenticator({ tenants, baseUrl: bosunUrl, sessionKey: randomBytes(32), now });
  app.use(
    createForgeRemoteRouter({
      verify,
      auth: forgeAuth,
      tenants,
      // The core's subscriber as create-services wires it: installs queue the first sync, uninstalls purge.
      lifecycle: createLifecycleSubscriber({ tenants, queue: createSqlJobQueue(db, { now }), firstSync: { type: MIRROR_SYNC_JOB, everyMs: 60_000 }, now, logger }),
      clients: createForgeClients({ fetch, logger }),
      mergeCheck: createForgeMergeCheck({ now }),
      intake,
      siteUrl: sandboxServer.url,
      logger,
      now,
    }),
  );
  app.use(createErrorHandler(logger, [toDatabaseBusyError]));

  return {
    sandbox,
    sandboxUrl: sandboxServer.url,
    forge,
    bosunUrl,
    db,
    tenants,
    forgeAuth,
    connectAuth,
    dualAuth: createDualHostAuthenticator(connectAuth, forgeAuth),
    jwksFetches: () => fetches,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await intake.close();
      await jwksServer.close();
      await sandbox.close();
      await sandboxServer.close();
      await db.close();
      await database.cleanup();
    },
  };
}
