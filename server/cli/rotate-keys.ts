/**
 * `npm run rotate-keys`: seal every stored secret with a new key.
 * - With BOSUN_ENCRYPTION_KEYS: put the new key first in the list (keep the old ones), then run this.
 * - With the embedded key file: this adds a new key to the file itself.
 * Run it while Bosun runs or not; old keys keep working until everything is re-sealed.
 */
import { addKeyToKeyFile, createKeyRing, createSecretBox } from '../auth';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../log';
import { createDatabase, resealSecrets } from '../storage';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const ring = config.encryptionKeys.length > 0 ? createKeyRing(config.encryptionKeys) : await addKeyToKeyFile(config.dataDir);
  const db = await createDatabase({ url: config.databaseUrl, logger });
  try {
    const report = await resealSecrets(db, createSecretBox(ring), ring.primary.id);
    process.stdout.write(
      `Re-sealed with key ${ring.primary.id}: ${report.tenants} installation secrets, ${report.connections} user connections, ${report.oauthStates} pending sign-ins.\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
