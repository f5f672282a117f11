/**
 * What `npm start` (Connect) and `npm run start:forge` (Forge) share: the sandbox's ports from the
 * environment, Bosun's configuration with the sandbox as Bitbucket (and its development OAuth
 * consumer unless one is configured), Bosun and its worker started, the banner, and a clean stop.
 * Each command only says how Bosun gets installed into the sandbox.
 */
import { z } from 'zod';
import { createApp } from '../server/app';
import { ConfigError, loadConfig, type BosunConfig } from '../server/config';
import { createServices } from '../server/create-services';
import { createLogger, type Logger } from '../server/log';
import { DEV_OAUTH_CONSUMER_KEY, DEV_OAUTH_CONSUMER_SECRET } from './index';

/** The variables both commands read; a command extends it with its own. */
export const sandboxEnvShape = {
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  SANDBOX_PUBLIC_URL: z.url().optional(),
};

export interface SandboxSide {
  /** The banner's first line and its links, as `label: url` pairs. */
  headline: string;
  links: Array<[label: string, url: string]>;
  close(): Promise<unknown>;
}

export interface BesideSandboxOptions<E extends { SANDBOX_PORT: number; SANDBOX_PUBLIC_URL?: string | undefined }> {
  env: z.ZodType<E>;
  /** Bosun's settings for this mode, under process.env (which wins). */
  configDefaults?: (env: E, publicUrl: string) => Record<string, string>;
  /** Refuses a configuration this mode cannot run with (thrown as is). */
  check?: (config: BosunConfig) => void;
  /** Starts the sandbox side once Bosun listens, and installs Bosun there. */
  startSandbox(input: { config: BosunConfig; env: E; publicUrl: string; logger: Logger }): Promise<SandboxSide>;
}

export function toBanner(headline: string, links: Array<[string, string]>): string {
  const line = '─'.repeat(72);
  const width = Math.max(0, ...links.map(([label]) => label.length)) + 2;
  return [line, headline, '', ...links.map(([label, url]) => `  ${`${label}:`.padEnd(width)}${url}`), '', 'Press Ctrl+C to stop.', line, ''].join('\n');
}

async function start<E extends { SANDBOX_PORT: number; SANDBOX_PUBLIC_URL?: string | undefined }>(options: BesideSandboxOptions<E>): Promise<void> {
  // The sandbox ships a development OAuth consumer, so "act as me" works with no configuration.
  const usesDevConsumer = !process.env.BITBUCKET_OAUTH_CLIENT_ID && !process.env.BITBUCKET_OAUTH_CLIENT_SECRET;
  const parsed = options.env.safeParse(process.env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const env = parsed.data;
  const publicUrl = env.SANDBOX_PUBLIC_URL ?? `http://localhost:${env.SANDBOX_PORT}`;
  const config = loadConfig({
    // The sandbox plays bitbucket.org: its OAuth endpoints and host script are Bitbucket's own here.
    BITBUCKET_SITE_URL: publicUrl,
    ...options.configDefaults?.(env, publicUrl),
    ...process.env,
    ...(usesDevConsumer ? { BITBUCKET_OAUTH_CLIENT_ID: DEV_OAUTH_CONSUMER_KEY, BITBUCKET_OAUTH_CLIENT_SECRET: DEV_OAUTH_CONSUMER_SECRET } : {}),
  });
  options.check?.(config);
  const logger = createLogger({ level: config.logLevel });
  const services = await createServices(config, logger.child({ app: 'bosun' }));
  const worker = services.automation.createWorker();
  worker.start();
  const bosun = createApp(services.deps).listen(config.port);
  await new Promise<void>((resolve, reject) => {
    bosun.once('listening', resolve);
    bosun.once('error', reject);
  });
  const side = await options.startSandbox({ config, env, publicUrl, logger: logger.child({ app: 'sandbox' }) });
  process.stdout.write(toBanner(side.headline, side.links));

  const stop = () => {
    bosun.close();
    void side
      .close()
      .then(() => worker.stop({ graceMs: 5000 }))
      .then(() => services.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Runs the command; a failure to start is printed and exits 1. */
export function runBosunBesideSandbox<E extends { SANDBOX_PORT: number; SANDBOX_PUBLIC_URL?: string | undefined }>(options: BesideSandboxOptions<E>): void {
  start(options).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
