import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { afterAll, beforeAll } from 'vitest';
import { pageNames } from '../../../server/host';
import type { Database } from '../../../server/storage';
import { installFake, newInstallation, type FakeInstallation } from '../../helpers/fake-host';
import { startBosun, type RunningBosun } from '../../helpers/start-bosun';
import { tempDir } from '../../helpers/test-databases';

export const FUZZ_USER = '{11111111-1111-4111-8111-111111111111}';

/** A built client as the pages router expects it, without running Vite. */
export function fakeClientDir(): string {
  const dir = tempDir('bosun-client-');
  for (const page of pageNames) {
    mkdirSync(path.join(dir, page), { recursive: true });
    writeFileSync(path.join(dir, page, 'index.html'), `<html><head><title>${page}</title></head><body><div id="root"></div></body></html>`);
  }
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  return dir;
}

/**
 * Bitbucket as far as these tests need it: the viewer administers the workspace, and every other
 * resource does not exist (404), so handlers that read Bitbucket run to their end without a network.
 */
export const fakeBitbucketFetch: typeof fetch = async (input) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (/\/workspaces\/[^/]+\/permissions$/.test(url.pathname)) {
    return Response.json({ values: [{ permission: 'owner', user: { type: 'user', uuid: FUZZ_USER } }], pagelen: 10, page: 1 });
  }
  return Response.json({ type: 'error', error: { message: 'Not found' } }, { status: 404 });
};

export interface RawRequest {
  method: string;
  /** Path and query exactly as sent (already percent-encoded, possibly badly). */
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends bytes as given: fetch would normalise the URL and refuse some headers. */
export function sendRaw(baseUrl: string, agent: http.Agent, req: RawRequest): Promise<RawResponse> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    const r = http.request({ host: base.hostname, port: base.port, method: req.method, path: req.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body ?? undefined);
  });
}

/** Row counts of every table Bosun's models own, in one query. */
export async function countRows(db: Database): Promise<Record<string, number>> {
  const tables = Object.values(db.models).map((m) => {
    const name = m.getTableName();
    return typeof name === 'string' ? name : name.tableName;
  });
  const select = tables.map((t) => `(SELECT COUNT(*) FROM "${t}") AS "${t}"`).join(', ');
  const [rows] = await db.sequelize.query(`SELECT ${select}`);
  const row = (rows as Array<Record<string, string | number>>)[0] ?? {};
  return Object.fromEntries(tables.map((t) => [t, Number(row[t])]));
}

export interface AppRoute {
  method: string;
  path: string;
}

interface StackLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  name?: string;
  handle?: { stack?: StackLayer[] };
}

/** Every route registered on the app (Express 4's router stack), nested routers included. */
export function listAppRoutes(app: Express): AppRoute[] {
  const routes: AppRoute[] = [];
  const walk = (stack: StackLayer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        // `router.post([a, b], …)` registers one route for several paths.
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') for (const path of paths) routes.push({ method: method.toUpperCase(), path });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { _router: { stack: StackLayer[] } })._router.stack);
  return routes;
}

/** A Bosun (no worker) with one fake installation and a keep-alive agent, for a suite's webhook deliveries. */
export interface WebhookSuite {
  bosun: RunningBosun;
  installation: FakeInstallation;
  agent: http.Agent;
}

/** Starts Bosun on `kind` and installs one fake installation before the suite's tests; stops both after. */
export function useWebhookSuite(kind: 'sqlite' | 'postgres'): WebhookSuite {
  const suite = { agent: new http.Agent({ keepAlive: true }) } as WebhookSuite;
  beforeAll(async () => {
    suite.bosun = await startBosun({ database: kind, worker: false, clientDir: fakeClientDir(), fetch: fakeBitbucketFetch, env: { BOSUN_RATE_LIMIT_PER_MINUTE: '0' } });
    suite.installation = newInstallation(suite.bosun.services.deps.descriptor.key);
    await installFake(suite.bosun.url, suite.bosun.services.deps.descriptor.key, suite.installation);
  });
  afterAll(async () => {
    suite.agent.destroy();
    await suite.bosun.close();
  });
  return suite;
}
