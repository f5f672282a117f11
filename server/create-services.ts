import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppDeps } from './app';
import { createKeyRing, createSecretBox, deriveKey, loadOrCreateKeyFile } from './auth';
import type { BosunConfig } from './config';
import { createInstallationClientFactory, loadDescriptor } from './connect';
import type { Logger } from './log';
import { createDatabase, createTenantStore, createWebhookDeliveryStore, type Database } from './storage';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Services {
  deps: AppDeps;
  db: Database;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  fetch?: typeof fetch;
  now?: () => Date;
  /** PostgreSQL schema (tests isolate runs this way). */
  schema?: string;
  clientDir?: string;
  descriptorFile?: string;
}

/** Opens the database and key ring and builds everything createApp needs. */
export async function createServices(config: BosunConfig, logger: Logger, overrides: ServiceOverrides = {}): Promise<Services> {
  const ring =
    config.encryptionKeys.length > 0
      ? createKeyRing(config.encryptionKeys)
      : await loadOrCreateKeyFile(config.dataDir, (file) =>
          logger.warn('Created a new encryption key file; back it up, or set BOSUN_ENCRYPTION_KEYS in production', { file }),
        );
  const box = createSecretBox(ring);
  const db = await createDatabase({ url: config.databaseUrl, logger, schema: overrides.schema });
  const descriptor = loadDescriptor(
    overrides.descriptorFile ?? path.join(PROJECT_ROOT, 'atlassian-connect.json'),
    config.baseUrl,
    config.appKey,
  );
  const deps: AppDeps = {
    descriptor,
    allowedHosts: config.allowedHosts,
    tenants: createTenantStore(db, box),
    deliveries: createWebhookDeliveryStore(db),
    clients: createInstallationClientFactory({ fetch: overrides.fetch ?? fetch, logger }),
    sessionKey: deriveKey(ring, 'session-tokens'),
    clientDir: overrides.clientDir ?? path.join(PROJECT_ROOT, 'dist', 'client'),
    logger,
    now: overrides.now ?? (() => new Date()),
    checkHealth: async () => {
      await db.sequelize.query('SELECT 1');
    },
  };
  return { deps, db, close: () => db.close() };
}
