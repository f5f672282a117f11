/**
 * `npm run start:forge`: Bosun and the sandbox Bitbucket side by side with Bosun installed as the
 * Forge app (not the Connect one) in the sandbox's `acme` workspace: the sandbox's Forge platform
 * signs FITs with its own key, Bosun trusts its JWKS, and the Forge pages frame the Custom UI
 * resource (dist/forge) through @forge/bridge.
 */
import path from 'node:path';
import { z } from 'zod';
import { createApp } from '../../server/app';
import { ConfigError, loadConfig } from '../../server/config';
import { createServices } from '../../server/create-services';
import { createLogger } from '../../server/log';
import { createSandbox, DEV_OAUTH_CONSUMER_KEY, DEV_OAUTH_CONSUMER_SECRET } from '../index';
import { createForgeHost } from './create-forge-host';
import { startForgePages } from './start-forge-pages';

/** manifest.yml's placeholder app id: the one the sandbox's Forge platform signs for. */
const DEV_APP_ID = 'ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000';

const forgeEnv = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  SANDBOX_PUBLIC_URL: z.url().optional(),
  /** The sandbox Forge platform's JWKS (what BOSUN_FORGE_JWKS_URL points at). */
  SANDBOX_FORGE_JWKS_PORT: z.coerce.number().int().min(1).max(65535).default(4001),
  /** Where the Custom UI resource is served (an origin of its own, as Forge's CDN is). */
  SANDBOX_FORGE_UI_PORT: z.coerce.number().int().min(1).max(65535).default(4002),
});

async function main(): Promise<void> {
  const usesDevConsumer = !process.env.BITBUCKET_OAUTH_CLIENT_ID && !process.env.BITBUCKET_OAUTH_CLIENT_SECRET;
  const parsed = forgeEnv.safeParse(process.env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const env = parsed.data;
  const publicUrl = env.SANDBOX_PUBLIC_URL ?? `http://localhost:${env.SANDBOX_PORT}`;
  const config = loadConfig({
    BITBUCKET_SITE_URL: publicUrl,
    BOSUN_FORGE_APP_ID: DEV_APP_ID,
    BOSUN_FORGE_JWKS_URL: `http://127.0.0.1:${env.SANDBOX_FORGE_JWKS_PORT}/.well-known/jwks.json`,
    ...process.env,
    ...(usesDevConsumer ? { BITBUCKET_OAUTH_CLIENT_ID: DEV_OAUTH_CONSUMER_KEY, BITBUCKET_OAUTH_CLIENT_SECRET: DEV_OAUTH_CONSUMER_SECRET } : {}),
  });
  if (!config.forge) throw new ConfigError(['BOSUN_FORGE_APP_ID: the Forge mode needs the Forge app id']);
  const logger = createLogger({ level: config.logLevel });
  const services = await createServices(config, logger.child({ app: 'bosun' }));
  const worker = services.automation.createWorker();
  worker.start();
  const bosun = createApp(services.deps).listen(config.port);
  await new Promise<void>((resolve, reject) => {
    bosun.once('listening', resolve);
    bosun.once('error', reject);
  });

  const sandboxLogger = logger.child({ app: 'sandbox' });
  const sandbox = createSandbox({ publicUrl, logger: sandboxLogger, oauthDevCallbackUrl: `${config.baseUrl}/oauth/callback` });
  const sandboxServer = await sandbox.listen(env.SANDBOX_PORT, '0.0.0.0');
  const forge = await createForgeHost({ state: sandbox.state, apiBaseUrl: publicUrl, remoteUrl: config.baseUrl, appId: config.forge.appId, now: () => new Date(), actions: sandbox.actions });
  const jwks = await forge.listen(env.SANDBOX_FORGE_JWKS_PORT);
  // The sandbox forgets everything on exit: each start is a new Forge installation (a new tenant in Bosun).
  await forge.install({ workspace: 'acme' });
  const pages = await startForgePages({ sandbox, forge, publicUrl, resourceDir: path.resolve('dist/forge'), port: env.SANDBOX_FORGE_UI_PORT });

  const line = '─'.repeat(72);
  process.stdout.write(
    [
      line,
      `Bosun is running at ${config.baseUrl}, installed into the sandbox Bitbucket as the Forge app.`,
      '',
      `  A pull request (Forge):      ${publicUrl}/forge/acme/web/pull-requests/1`,
      `  Repository page (Forge):     ${publicUrl}/forge/acme/web/apps/bosun-repo-dashboard`,
      `  Workspace settings (Forge):  ${publicUrl}/forge/acme/workspace/settings/apps/bosun-admin-settings`,
      `  Personal settings (Forge):   ${publicUrl}/forge/acme/account/settings/apps/bosun-personal-settings`,
      `  Custom UI resource:          ${pages.resourceUrl}`,
      '',
      'Press Ctrl+C to stop.',
      line,
      '',
    ].join('\n'),
  );

  const stop = () => {
    bosun.close();
    void Promise.all([sandboxServer.close(), jwks.close(), pages.close()])
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
