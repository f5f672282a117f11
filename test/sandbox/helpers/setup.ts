import { createSandbox, type Sandbox, type SandboxInstallation, type SandboxOptions } from '../../../sandbox';
import { signAppJwt } from './app-jwt';
import { type FakeApp, startFakeApp } from './fake-app';

export const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Every scope the new endpoints need, for suites that are not about scopes. */
export const ALL_SCOPES = ['account', 'email', 'pullrequest:write', 'repository:write', 'repository:admin', 'webhook', 'pipeline:write'];

export interface ApiResult {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}

export interface Harness {
  sandbox: Sandbox;
  url: string;
  app: FakeApp;
  inst: SandboxInstallation;
  /** Calls the sandbox REST API as the installed app. */
  api(method: string, pathAndQuery: string, body?: unknown, opts?: { secret?: string; iat?: number; qsh?: string; inst?: SandboxInstallation }): Promise<ApiResult>;
  /** Calls the sandbox REST API with an OAuth access token (Authorization: Bearer). */
  asUser(token: string, method: string, pathAndQuery: string, body?: unknown): Promise<ApiResult>;
  close(): Promise<void>;
}

async function toResult(res: Response): Promise<ApiResult> {
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers };
}

export async function startHarness(
  opts: { descriptor?: Record<string, unknown>; retryDelaysMs?: number[]; sandbox?: Partial<SandboxOptions> } = {},
): Promise<Harness> {
  const sandbox = createSandbox({
    publicUrl: 'http://sandbox.test', logger: quietLogger, webhookRetryDelaysMs: opts.retryDelaysMs ?? [20, 20], webhookTimeoutMs: 2000, ...opts.sandbox,
  });
  const server = await sandbox.listen(0);
  const app = await startFakeApp(opts.descriptor);
  const inst = await sandbox.install(app.descriptorUrl);
  const send = (pathAndQuery: string, method: string, authorization: string, body: unknown) =>
    fetch(`${server.url}${pathAndQuery}`, {
      method,
      redirect: 'manual',
      headers: { Authorization: authorization, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const api: Harness['api'] = async (method, pathAndQuery, body, o = {}) => {
    const i = o.inst ?? inst;
    const token = signAppJwt({ method, pathAndQuery, key: i.key, clientKey: i.clientKey, secret: o.secret ?? i.sharedSecret, iat: o.iat, qsh: o.qsh });
    return toResult(await send(pathAndQuery, method, `JWT ${token}`, body));
  };
  return {
    sandbox, url: server.url, app, inst, api,
    asUser: async (token, method, pathAndQuery, body) => toResult(await send(pathAndQuery, method, `Bearer ${token}`, body)),
    close: async () => {
      await sandbox.close();
      await server.close();
      await app.close();
    },
  };
}

/** Polls until `check` holds (pipelines and async merges run on timers). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
