/**
 * `npm start`: Bosun and the sandbox Bitbucket side by side on embedded defaults, Bosun installed
 * into the sandbox's `acme` workspace with the real Connect handshake.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createApp } from '../server/app';
import { ConfigError, loadConfig } from '../server/config';
import { createServices } from '../server/create-services';
import { createLogger } from '../server/log';
import { createSandbox, DEV_OAUTH_CONSUMER_KEY, DEV_OAUTH_CONSUMER_SECRET } from './index';

const sandboxEnv = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  SANDBOX_PUBLIC_URL: z.url().optional(),
  SANDBOX_API_BASE_URL: z.url().optional(),
});

/** The sandbox's own signing seed, so a restart re-installs with the secret Bosun already holds. */
async function loadSandboxSeed(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, 'sandbox.key');
  try {
    return Buffer.from(await fs.readFile(file, 'utf8'), 'base64');
  } catch {
    await fs.mkdir(dataDir, { recursive: true });
    const seed = randomBytes(32);
    await fs.writeFile(file, seed.toString('base64'), { mode: 0o600 });
    return seed;
  }
}

async function main(): Promise<void> {
  // The sandbox ships a development OAuth consumer, so "act as me" works with no configuration.
  const usesDevConsumer = !process.env.BITBUCKET_OAUTH_CLIENT_ID && !process.env.BITBUCKET_OAUTH_CLIENT_SECRET;
  const parsed = sandboxEnv.safeParse(process.env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const publicUrl = parsed.data.SANDBOX_PUBLIC_URL ?? `http://localhost:${parsed.data.SANDBOX_PORT}`;
  const config = loadConfig({
    // The sandbox plays bitbucket.org: its OAuth endpoints and host script are Bitbucket's own here.
    BITBUCKET_SITE_URL: publicUrl,
    ...process.env,
    ...(usesDevConsumer ? { BITBUCKET_OAUTH_CLIENT_ID: DEV_OAUTH_CONSUMER_KEY, BITBUCKET_OAUTH_CLIENT_SECRET: DEV_OAUTH_CONSUMER_SECRET } : {}),
  });
  const logger = createLogger({ level: config.logLevel });
  const services = await createServices(config, logger.child({ app: 'bosun' }));
  const worker = services.automation.createWorker();
  worker.start();
  const bosun = createApp(services.deps).listen(config.port);
  await new Promise<void>((resolve, reject) => {
    bosun.once('listening', resolve);
    bosun.once('error', reject);
  });

  const seed = await loadSandboxSeed(config.dataDir);
  const sandboxLogger = logger.child({ app: 'sandbox' });
  const sandbox = createSandbox({
    publicUrl,
    apiBaseUrl: parsed.data.SANDBOX_API_BASE_URL,
    logger: sandboxLogger,
    sharedSecretFor: (clientKey) => createHmac('sha256', seed).update(clientKey).digest('base64url'),
    oauthDevCallbackUrl: `${config.baseUrl}/oauth/callback`,
  });
  const sandboxServer = await sandbox.listen(parsed.data.SANDBOX_PORT, '0.0.0.0');
  const installation = await sandbox.install(`${config.baseUrl}/atlassian-connect.json`, { workspace: 'acme' });

  const line = '─'.repeat(72);
  process.stdout.write(
    [
      line,
      `Bosun is running at ${config.baseUrl} and installed into the sandbox Bitbucket.`,
      '',
      `  Open the sandbox:      ${publicUrl}/`,
      `  A pull request:        ${publicUrl}/acme/web/pull-requests/1`,
      `  Repository dashboard:  ${publicUrl}/acme/web/addon/${installation.key}/bosun-repo-dashboard`,
      `  Admin settings:        ${publicUrl}/acme/workspace/settings/addon/${installation.key}/bosun-admin-settings`,
      `  Personal settings:     ${publicUrl}/account/settings/addon/${installation.key}/bosun-personal-settings`,
      '',
      'Press Ctrl+C to stop.',
      line,
      '',
    ].join('\n'),
  );

  const stop = () => {
    bosun.close();
    void sandboxServer
      .close()
      .then(() => worker.stop({ graceMs: 5000 }))
      .then(() => services.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
