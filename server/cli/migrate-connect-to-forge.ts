/**
 * `npm run migrate:connect-to-forge -- --workspace '{uuid}' [--dry-run]`: moves a workspace's
 * Connect installation's data (policies, audit log, connections, mirror, queues…) to its Forge
 * installation, once the Forge app is installed there. Also `--connect <clientKey> --forge <installationId>`.
 * Safe to repeat: a finished move answers "already migrated".
 */
import { parseArgs } from 'node:util';
import { createKeyRing, createSecretBox, loadOrCreateKeyFile } from '../auth';
import { ConfigError, loadConfig } from '../config';
import { ConnectMigrationError, migrateConnectTenant, type ConnectToForgeResult } from '../forge';
import { createLogger } from '../log';
import { createDatabase, createSqlTenantDataMover, createTenantStore } from '../storage';

const USAGE = "usage: npm run migrate:connect-to-forge -- (--workspace '{workspace-uuid}' | --connect <clientKey> [--forge <installationId>]) [--dry-run]";

function toSummary(result: ConnectToForgeResult): string {
  if (result.outcome === 'already-migrated') {
    return `Already migrated: ${result.from} → ${result.to} (workspace ${result.workspaceUuid}) on ${result.migratedAt.toISOString()}. Nothing to do.\n`;
  }
  const tables = Object.entries(result.report.moved).map(([t, n]) => `${t} ${n}`).join(', ') || 'no rows';
  const replaced = Object.entries(result.report.replaced).map(([t, n]) => `${t} ${n}`).join(', ');
  return [
    `${result.outcome === 'dry-run' ? 'Dry run (nothing changed): would move' : 'Moved'} ${result.from} → ${result.to} (workspace ${result.workspaceUuid}).`,
    `  rows: ${tables}`,
    `  re-sealed secrets: ${result.report.resealed}`,
    ...(replaced ? [`  Forge rows replaced by the Connect ones: ${replaced}`] : []),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { workspace: { type: 'string' }, connect: { type: 'string' }, forge: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
    strict: true,
  });
  if (!values.workspace && !values.connect) throw new ConfigError([USAGE]);
  const config = loadConfig();
  if (!config.forge) throw new ConfigError(['BOSUN_FORGE_APP_ID: set it to the Forge app id (manifest.yml app.id) to migrate to the Forge app']);
  const logger = createLogger({ level: config.logLevel });
  const ring = config.encryptionKeys.length > 0 ? createKeyRing(config.encryptionKeys) : await loadOrCreateKeyFile(config.dataDir, () => undefined);
  const box = createSecretBox(ring);
  const db = await createDatabase({ url: config.databaseUrl, logger });
  try {
    const result = await migrateConnectTenant(
      { tenants: createTenantStore(db, box, { cacheTtlMs: 0 }), mover: createSqlTenantDataMover(db, box), forgeAppId: config.forge.appId, now: () => new Date() },
      { workspaceUuid: values.workspace, connectClientKey: values.connect, forgeInstallationId: values.forge, dryRun: values['dry-run'] },
    );
    process.stdout.write(toSummary(result));
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof ConnectMigrationError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
