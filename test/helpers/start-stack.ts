import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox, type SandboxInstallation } from '../../sandbox';
import { startBosun, type RunningBosun, type StartBosunOptions } from './start-bosun';

export interface RunningStack {
  bosun: RunningBosun;
  sandbox: Sandbox;
  sandboxUrl: string;
  installation: SandboxInstallation;
  close(): Promise<void>;
}

const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Bosun and the sandbox on real ports, Bosun installed into `acme` through the real handshake. */
export async function startStack(opts: StartBosunOptions & { webhookRetryDelaysMs?: number[] } = {}): Promise<RunningStack> {
  const bosun = await startBosun(opts);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sandboxUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sandbox = createSandbox({ publicUrl: sandboxUrl, logger: quietLogger, webhookRetryDelaysMs: opts.webhookRetryDelaysMs ?? [50, 100] });
  server.on('request', sandbox.app);
  const installation = await sandbox.install(`${bosun.url}/atlassian-connect.json`, { workspace: 'acme' });
  return {
    bosun,
    sandbox,
    sandboxUrl,
    installation,
    close: async () => {
      await sandbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bosun.close();
    },
  };
}
