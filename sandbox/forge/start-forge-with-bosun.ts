/**
 * `npm run start:forge`: Bosun and the sandbox Bitbucket side by side with Bosun installed as the
 * Forge app (not the Connect one) in the sandbox's `acme` workspace: the sandbox's Forge platform
 * signs FITs with its own key, Bosun trusts its JWKS, and the Forge pages frame the Custom UI
 * resource (dist/forge) through @forge/bridge.
 */
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../server/config';
import { createSandbox } from '../index';
import { runBosunBesideSandbox, sandboxEnvShape } from '../run-bosun-beside-sandbox';
import { createForgeHost } from './create-forge-host';
import { startForgePages } from './start-forge-pages';

/** manifest.yml's scheduled trigger interval (fiveMinute): each firing brings Bosun a fresh app token. */
const SCHEDULED_TRIGGER_MS = 5 * 60_000;

/** manifest.yml's placeholder app id: the one the sandbox's Forge platform signs for. */
const DEV_APP_ID = 'ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000';

runBosunBesideSandbox({
  env: z.object({
    ...sandboxEnvShape,
    /** The sandbox Forge platform's JWKS (what BOSUN_FORGE_JWKS_URL points at). */
    SANDBOX_FORGE_JWKS_PORT: z.coerce.number().int().min(1).max(65535).default(4001),
    /** Where the Custom UI resource is served (an origin of its own, as Forge's CDN is). */
    SANDBOX_FORGE_UI_PORT: z.coerce.number().int().min(1).max(65535).default(4002),
  }),
  configDefaults: (env) => ({
    BOSUN_FORGE_APP_ID: DEV_APP_ID,
    BOSUN_FORGE_JWKS_URL: `http://127.0.0.1:${env.SANDBOX_FORGE_JWKS_PORT}/.well-known/jwks.json`,
  }),
  check: (config) => {
    if (!config.forge) throw new ConfigError(['BOSUN_FORGE_APP_ID: the Forge mode needs the Forge app id']);
  },
  async startSandbox({ config, env, publicUrl, logger }) {
    const appId = config.forge?.appId ?? DEV_APP_ID;
    const sandbox = createSandbox({ publicUrl, logger, oauthDevCallbackUrl: `${config.baseUrl}/oauth/callback` });
    const sandboxServer = await sandbox.listen(env.SANDBOX_PORT, '0.0.0.0');
    const forge = await createForgeHost({ state: sandbox.state, apiBaseUrl: publicUrl, remoteUrl: config.baseUrl, appId, now: () => new Date(), actions: sandbox.actions });
    const jwks = await forge.listen(env.SANDBOX_FORGE_JWKS_PORT);
    // The sandbox forgets everything on exit: each start is a new Forge installation (a new tenant in Bosun).
    await forge.install({ workspace: 'acme' });
    const pages = await startForgePages({ sandbox, forge, publicUrl, resourceDir: path.resolve('dist/forge'), port: env.SANDBOX_FORGE_UI_PORT });
    const trigger = setInterval(() => {
      forge.runScheduledTriggers().catch((err: unknown) => logger.warn('Forge scheduled trigger failed', { error: err instanceof Error ? err.message : String(err) }));
    }, SCHEDULED_TRIGGER_MS);
    return {
      headline: `Bosun is running at ${config.baseUrl}, installed into the sandbox Bitbucket as the Forge app.`,
      links: [
        ['A pull request (Forge)', `${publicUrl}/forge/acme/web/pull-requests/1`],
        ['Repository page (Forge)', `${publicUrl}/forge/acme/web/apps/bosun-repo-dashboard`],
        ['Workspace settings (Forge)', `${publicUrl}/forge/acme/workspace/settings/apps/bosun-admin-settings`],
        ['Workspace page (Forge)', `${publicUrl}/forge/acme/workspace/settings/apps/bosun-workspace`],
        ['Personal settings (Forge)', `${publicUrl}/forge/acme/account/settings/apps/bosun-personal-settings`],
        ['Custom UI resource', pages.resourceUrl],
      ],
      close: () => {
        clearInterval(trigger);
        return Promise.all([sandboxServer.close(), jwks.close(), pages.close()]);
      },
    };
  },
});
