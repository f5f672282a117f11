import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox, type SandboxInstallation, type SandboxOptions } from '../../sandbox';
import { installIdOf, startBosun, type RunningBosun, type StartBosunOptions } from './start-bosun';

export interface RecordedDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface RunningStack {
  bosun: RunningBosun;
  /** Every webhook request the sandbox sent to Bosun, exactly as sent (for redelivery tests). */
  sent: RecordedDelivery[];
  sandbox: Sandbox;
  sandboxUrl: string;
  installation: SandboxInstallation;
  /** Bosun's id for this installation (sessions are bound to it). */
  installId: string;
  close(): Promise<void>;
}

const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** The OAuth consumer tests register in the sandbox and give Bosun. */
export const TEST_OAUTH_CONSUMER = { key: 'bosun-test-consumer', secret: 'bosun-test-consumer-secret-0123456789' };
export const TEST_OAUTH_SCOPES = ['account', 'email', 'pullrequest:write', 'repository:write', 'pipeline:write'];

export interface StackOptions extends StartBosunOptions {
  webhookRetryDelaysMs?: number[];
  /** Registers an OAuth consumer in the sandbox and configures Bosun with it. */
  oauth?: { accessTokenTtlSeconds?: number; rotateRefreshTokens?: boolean; scopes?: string[] };
  /** Passed to createSandbox (timings, rate limits, faults…). */
  sandbox?: Omit<SandboxOptions, 'publicUrl'>;
}

/** Bosun and the sandbox on real ports, Bosun installed into `acme` through the real handshake. */
export async function startStack(opts: StackOptions = {}): Promise<RunningStack> {
  // The sandbox's port first: Bosun is configured with it as Bitbucket's site (OAuth endpoints, host script).
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sandboxUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = {
    BITBUCKET_SITE_URL: sandboxUrl,
    ...(opts.oauth ? { BITBUCKET_OAUTH_CLIENT_ID: TEST_OAUTH_CONSUMER.key, BITBUCKET_OAUTH_CLIENT_SECRET: TEST_OAUTH_CONSUMER.secret } : {}),
    ...opts.env,
  };
  const bosun = await startBosun({ ...opts, env });
  const sent: RecordedDelivery[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    if (headers['x-request-uuid'] && typeof init?.body === 'string') sent.push({ url: String(input), headers, body: init.body });
    return fetch(input, init);
  };
  const sandbox = createSandbox({
    publicUrl: sandboxUrl,
    fetch: recordingFetch,
    logger: quietLogger,
    webhookRetryDelaysMs: opts.webhookRetryDelaysMs ?? [50, 100],
    oauthAccessTokenTtlSeconds: opts.oauth?.accessTokenTtlSeconds,
    oauthRotateRefreshTokens: opts.oauth?.rotateRefreshTokens,
    ...opts.sandbox,
  });
  server.on('request', sandbox.app);
  if (opts.oauth) {
    sandbox.oauth.addConsumer({
      key: TEST_OAUTH_CONSUMER.key,
      secret: TEST_OAUTH_CONSUMER.secret,
      name: 'Bosun (tests)',
      callbackUrl: `${bosun.url}/oauth/callback`,
      scopes: opts.oauth.scopes ?? TEST_OAUTH_SCOPES,
    });
  }
  const installation = await sandbox.install(`${bosun.url}/atlassian-connect.json`, { workspace: 'acme' });
  const installId = await installIdOf(bosun, installation.clientKey);
  return {
    bosun,
    sent,
    sandbox,
    sandboxUrl,
    installation,
    installId,
    close: async () => {
      await sandbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bosun.close();
    },
  };
}
