import { createSandbox, type Sandbox, type SandboxInstallation } from '../../../sandbox';
import { signAppJwt } from './app-jwt';
import { type FakeApp, startFakeApp } from './fake-app';

export const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };

export interface Harness {
  sandbox: Sandbox;
  url: string;
  app: FakeApp;
  inst: SandboxInstallation;
  /** Calls the sandbox REST API as the installed app. */
  api(method: string, pathAndQuery: string, body?: unknown, opts?: { secret?: string; iat?: number; qsh?: string; inst?: SandboxInstallation }): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export async function startHarness(opts: { descriptor?: Record<string, unknown>; retryDelaysMs?: number[] } = {}): Promise<Harness> {
  const sandbox = createSandbox({ publicUrl: 'http://sandbox.test', logger: quietLogger, webhookRetryDelaysMs: opts.retryDelaysMs ?? [20, 20], webhookTimeoutMs: 2000 });
  const server = await sandbox.listen(0);
  const app = await startFakeApp(opts.descriptor);
  const inst = await sandbox.install(app.descriptorUrl);
  const api: Harness['api'] = async (method, pathAndQuery, body, o = {}) => {
    const i = o.inst ?? inst;
    const token = signAppJwt({ method, pathAndQuery, key: i.key, clientKey: i.clientKey, secret: o.secret ?? i.sharedSecret, iat: o.iat, qsh: o.qsh });
    const res = await fetch(`${server.url}${pathAndQuery}`, {
      method,
      headers: { Authorization: `JWT ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  return {
    sandbox, url: server.url, app, inst, api,
    close: async () => {
      await sandbox.idle();
      await server.close();
      await app.close();
    },
  };
}
