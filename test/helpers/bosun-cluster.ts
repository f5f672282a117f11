import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import pg from 'pg';
import { createTestDatabase, tempDir, type TestDatabase } from './test-databases';

const here = path.dirname(fileURLToPath(import.meta.url));
const INSTANCE_PROCESS = path.join(here, '..', 'integration', 'fixtures', 'bosun-instance-process.ts');

export interface BosunInstance {
  url: string;
  pid: number;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
  kill(signal: NodeJS.Signals): void;
}

export interface BosunCluster {
  instances: BosunInstance[];
  database: TestDatabase;
  appKey: string;
  /** Runs one query against the cluster's schema. */
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function spawnInstance(env: Record<string, string>): Promise<BosunInstance> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', INSTANCE_PROCESS], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  return new Promise<BosunInstance>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /READY (\S+)/.exec(buffer);
      if (match?.[1]) resolve({ url: match[1], pid: child.pid ?? -1, exited, kill: (signal) => void child.kill(signal) });
    });
    void exited.then((how) => reject(new Error(`A Bosun instance exited (${how}) before it was ready: ${stderr}`)));
  });
}

/**
 * N real Bosun processes on one PostgreSQL schema (its own per cluster) and one data directory
 * (so they share the key file). The first migrates the schema; the rest start together after it.
 */
export async function startBosunCluster(opts: { instances: number; env?: Record<string, string> }): Promise<BosunCluster> {
  const database = await createTestDatabase('postgres');
  const dataDir = tempDir('bosun-cluster-');
  const appKey = `bosun-cluster-${randomBytes(3).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    INSTANCE_DB_SCHEMA: database.schema ?? '',
    BOSUN_DATA_DIR: dataDir,
    BOSUN_APP_KEY: appKey,
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const instances: BosunInstance[] = [];
  const pool = new pg.Pool({ connectionString: database.url, max: 2, options: `-c search_path=${database.schema}` });
  const stopAll = async () => {
    await Promise.all(
      instances.map(async (i) => {
        i.kill('SIGTERM');
        const timer = setTimeout(() => i.kill('SIGKILL'), 8_000);
        await i.exited;
        clearTimeout(timer);
      }),
    );
  };
  try {
    instances.push(await spawnInstance(env));
    instances.push(...(await Promise.all(Array.from({ length: opts.instances - 1 }, () => spawnInstance(env)))));
  } catch (err) {
    await stopAll();
    await pool.end();
    await database.cleanup();
    throw err;
  }
  return {
    instances,
    database,
    appKey,
    query: async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await pool.query<T>(sql, params)).rows,
    close: async () => {
      await stopAll();
      await pool.end();
      await database.cleanup();
    },
  };
}

export interface InstalledTenant {
  clientKey: string;
  secret: string;
}

/** The Connect `installed` lifecycle call, signed as Bitbucket signs it. */
export async function installTenant(baseUrl: string, appKey: string): Promise<InstalledTenant> {
  const workspaceUuid = `{${randomUUID()}}`;
  const clientKey = `ari:cloud:bitbucket::app/${workspaceUuid}/${appKey}`;
  const secret = randomBytes(24).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const token = encodeSymmetric({ iss: clientKey, aud: clientKey, iat, exp: iat + 3600, qsh: createQueryStringHash(fromMethodAndUrl('POST', '/connect/installed')) }, secret);
  const res = await fetch(`${baseUrl}/connect/installed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `JWT ${token}` },
    body: JSON.stringify({
      productType: 'bitbucket', eventType: 'installed', key: appKey, clientKey, sharedSecret: secret, baseUrl: 'http://localhost:4999', baseApiUrl: 'http://localhost:4999',
      principal: { type: 'team', uuid: workspaceUuid, username: 'acme', display_name: 'Acme' },
    }),
  });
  if (res.status !== 204) throw new Error(`install failed: ${res.status} ${await res.text()}`);
  return { clientKey, secret };
}

export interface SignedDelivery {
  requestUuid: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * A `pullrequest:comment_created` delivery signed for the tenant: each is its own job (a comment
 * may be a command), and a plain comment is handled without calling Bitbucket.
 */
export function toCommentDelivery(tenant: InstalledTenant, n: number): SignedDelivery {
  const iat = Math.floor(Date.now() / 1000);
  const token = encodeSymmetric(
    { iss: tenant.clientKey, aud: tenant.clientKey, iat, exp: iat + 3600, qsh: createQueryStringHash(fromMethodAndUrl('POST', '/webhooks/bitbucket')) },
    tenant.secret,
  );
  const user = { type: 'user', uuid: '{11111111-1111-4111-8111-111111111111}', account_id: '557058:cluster', display_name: 'Cluster User', nickname: 'cluster' };
  const requestUuid = randomUUID();
  const data = {
    actor: user,
    repository: { type: 'repository', uuid: '{6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f}', full_name: 'acme/web', name: 'web', links: { html: { href: 'https://bitbucket.org/acme/web' } } },
    pullrequest: {
      type: 'pullrequest', id: 1 + (n % 50), title: 'Cluster PR', state: 'OPEN', author: user,
      source: { branch: { name: 'feature/x' }, commit: { hash: 'a1b2c3d4e5f6' } },
      destination: { branch: { name: 'main' }, commit: { hash: 'f6e5d4c3b2a1' } },
      participants: [],
    },
    comment: { id: 10_000 + n, content: { raw: `Looks good, comment ${n}` }, user },
  };
  return {
    requestUuid,
    body: JSON.stringify({ event: 'pullrequest:comment_created', data }),
    headers: {
      'content-type': 'application/json',
      authorization: `JWT ${token}`,
      'x-event-key': 'pullrequest:comment_created',
      'x-request-uuid': requestUuid,
      'x-hook-uuid': '{0e5c0f2a-0000-4000-8000-000000000001}',
    },
  };
}

function postOnce(agent: http.Agent, baseUrl: string, d: SignedDelivery, attempt: number): Promise<number | null> {
  const base = new URL(baseUrl);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: base.hostname, port: base.port, path: '/webhooks/bitbucket', method: 'POST', agent, timeout: 10_000,
        headers: { ...d.headers, 'x-attempt-number': String(attempt), 'content-length': Buffer.byteLength(d.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? null));
        res.on('error', () => resolve(null));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end(d.body);
  });
}

export interface SendReport {
  /** Deliveries some instance answered 2xx: Bosun acknowledged them. */
  acknowledged: Set<string>;
  /** Attempts that got no answer or a non-2xx (sent again, to the next instance, as Bitbucket retries). */
  retried: number;
  seconds: number;
}

/**
 * Sends every delivery to the instances round-robin, `concurrency` at a time. A delivery that gets
 * no 2xx is sent again to the next live instance with the same X-Request-UUID and the next attempt
 * number, as Bitbucket redelivers. `onAcknowledged` sees the running count (a test kills an
 * instance from there); `isLive` says which instances may still be sent to.
 */
export async function sendDeliveries(
  urls: string[],
  deliveries: SignedDelivery[],
  opts: { concurrency: number; isLive?: (index: number) => boolean; onAcknowledged?: (count: number) => void; maxAttempts?: number },
): Promise<SendReport> {
  const agents = urls.map(() => new http.Agent({ keepAlive: true, maxSockets: opts.concurrency }));
  const isLive = opts.isLive ?? (() => true);
  const maxAttempts = opts.maxAttempts ?? 10;
  const acknowledged = new Set<string>();
  let retried = 0;
  let next = 0;
  const started = performance.now();
  const sendOne = async (d: SignedDelivery, first: number) => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let target = (first + attempt - 1) % urls.length;
      for (let k = 0; k < urls.length && !isLive(target); k++) target = (target + 1) % urls.length;
      const status = await postOnce(agents[target]!, urls[target]!, d, attempt);
      if (status !== null && status >= 200 && status < 300) {
        acknowledged.add(d.requestUuid);
        opts.onAcknowledged?.(acknowledged.size);
        return;
      }
      retried += 1;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  };
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < deliveries.length) {
        const i = next++;
        await sendOne(deliveries[i]!, i % urls.length);
      }
    }),
  );
  for (const agent of agents) agent.destroy();
  return { acknowledged, retried, seconds: (performance.now() - started) / 1000 };
}
