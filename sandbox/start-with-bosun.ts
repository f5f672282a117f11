/**
 * `npm start`: Bosun and the sandbox Bitbucket side by side on embedded defaults, Bosun installed
 * into the sandbox's `acme` workspace with the real Connect handshake.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createSandbox } from './index';
import { runBosunBesideSandbox, sandboxEnvShape } from './run-bosun-beside-sandbox';

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

runBosunBesideSandbox({
  env: z.object({ ...sandboxEnvShape, SANDBOX_API_BASE_URL: z.url().optional() }),
  async startSandbox({ config, env, publicUrl, logger }) {
    const seed = await loadSandboxSeed(config.dataDir);
    const sandbox = createSandbox({
      publicUrl,
      apiBaseUrl: env.SANDBOX_API_BASE_URL,
      logger,
      sharedSecretFor: (clientKey) => createHmac('sha256', seed).update(clientKey).digest('base64url'),
      oauthDevCallbackUrl: `${config.baseUrl}/oauth/callback`,
    });
    const sandboxServer = await sandbox.listen(env.SANDBOX_PORT, '0.0.0.0');
    const installation = await sandbox.install(`${config.baseUrl}/atlassian-connect.json`, { workspace: 'acme' });
    return {
      headline: `Bosun is running at ${config.baseUrl} and installed into the sandbox Bitbucket.`,
      links: [
        ['Open the sandbox', `${publicUrl}/`],
        ['A pull request', `${publicUrl}/acme/web/pull-requests/1`],
        ['Repository dashboard', `${publicUrl}/acme/web/addon/${installation.key}/bosun-repo-dashboard`],
        ['Admin settings', `${publicUrl}/acme/workspace/settings/addon/${installation.key}/bosun-admin-settings`],
        ['Personal settings', `${publicUrl}/account/settings/addon/${installation.key}/bosun-personal-settings`],
      ],
      close: () => sandboxServer.close(),
    };
  },
});
