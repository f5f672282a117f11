/**
 * 32 concurrent first installs (each signed with the secret it carries, as Bitbucket signs them)
 * while a webhook stream and health checks keep arriving. Targets: every install answered
 * correctly, install p99 < 2 s, webhook and /healthz p99 < 100 ms during the burst.
 * Baselines measured in the same run: the same 32 installs one at a time, and the same webhook
 * stream with no burst.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { createBenchDatabase } from './bench-database';
import { spawnServer } from './spawn-server';

const APP_KEY = 'bosun-bench';
const BURST = 32;
const ROUNDS = 3;
const INSTALL_QSH = createQueryStringHash(fromMethodAndUrl('POST', '/connect/installed'));
const WEBHOOK_QSH = createQueryStringHash(fromMethodAndUrl('POST', '/webhooks/bitbucket'));

interface Timed {
  status: number;
  ms: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const median = (values: number[]) => percentile(values, 50);

function request(agent: http.Agent, base: URL, method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<Timed> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    const req = http.request(
      { host: base.hostname, port: base.port, path: pathname, method, agent, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: elapsed() }));
      },
    );
    // A request that hangs past Bitbucket's own 10 s deadline counts as a failure at 10 s.
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve({ status: 0, ms: elapsed() }));
    req.end(body);
  });
}

function newInstall() {
  const workspaceUuid = `{${randomUUID()}}`;
  const clientKey = `ari:cloud:bitbucket::app/${workspaceUuid}/${APP_KEY}`;
  const secret = randomBytes(24).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const token = encodeSymmetric({ iss: clientKey, aud: clientKey, iat, exp: iat + 3600, qsh: INSTALL_QSH }, secret);
  const body = JSON.stringify({
    productType: 'bitbucket', eventType: 'installed', key: APP_KEY, clientKey, sharedSecret: secret,
    baseUrl: 'http://localhost:4999', baseApiUrl: 'http://localhost:4999',
    principal: { type: 'team', uuid: workspaceUuid, username: 'acme', display_name: 'Acme' },
  });
  return { clientKey, secret, headers: { 'content-type': 'application/json', authorization: `JWT ${token}` }, body };
}

function installRequest(agent: http.Agent, base: URL): Promise<Timed> {
  const install = newInstall();
  return request(agent, base, 'POST', '/connect/installed', install.headers, install.body);
}

async function installOne(base: URL): Promise<{ clientKey: string; secret: string }> {
  const install = newInstall();
  const agent = new http.Agent();
  const res = await request(agent, base, 'POST', '/connect/installed', install.headers, install.body);
  agent.destroy();
  if (res.status !== 204) throw new Error(`install failed: ${res.status}`);
  return { clientKey: install.clientKey, secret: install.secret };
}

/** A webhook every 10 ms and a health check every 20 ms, until stopped; latencies collected. */
function startStream(base: URL, tenant: { clientKey: string; secret: string }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const iat = Math.floor(Date.now() / 1000);
  const token = encodeSymmetric({ iss: tenant.clientKey, aud: tenant.clientKey, iat, exp: iat + 3600, qsh: WEBHOOK_QSH }, tenant.secret);
  const user = { type: 'user', uuid: '{11111111-1111-4111-8111-111111111111}', account_id: '557058:bench', display_name: 'Bench User', nickname: 'bench' };
  const body = JSON.stringify({
    event: 'pullrequest:approved',
    data: {
      actor: user,
      repository: { type: 'repository', uuid: '{6f1d8a52-3b7e-4a47-9f0e-2c8a1b2d3e4f}', full_name: 'acme/web', name: 'web' },
      pullrequest: {
        type: 'pullrequest', id: 42, title: 'Bench', state: 'OPEN', author: user,
        source: { branch: { name: 'feature/x' }, commit: { hash: 'a1b2c3d4e5f6' } },
        destination: { branch: { name: 'main' }, commit: { hash: 'f6e5d4c3b2a1' } },
      },
      approval: { date: new Date().toISOString(), user },
    },
  });
  const webhooks: Timed[] = [];
  const health: Timed[] = [];
  const pending: Array<Promise<void>> = [];
  let stopped = false;
  const loop = async (everyMs: number, send: () => Promise<Timed>, into: Timed[]) => {
    const started = performance.now();
    for (let i = 0; !stopped; i++) {
      const wait = started + i * everyMs - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(send().then((t) => void into.push(t)));
    }
  };
  const loops = Promise.all([
    loop(10, () => request(agent, base, 'POST', '/webhooks/bitbucket', {
      'content-type': 'application/json', authorization: `JWT ${token}`, 'x-event-key': 'pullrequest:approved',
      'x-request-uuid': randomUUID(), 'x-hook-uuid': '{0e5c0f2a-0000-4000-8000-000000000001}', 'x-attempt-number': '1',
    }, body), webhooks),
    loop(20, () => request(agent, base, 'GET', '/healthz', {}), health),
  ]);
  return {
    async stop() {
      stopped = true;
      await loops;
      await Promise.all(pending);
      agent.destroy();
      return { webhooks, health };
    },
  };
}

interface Round {
  installP99: number;
  installMax: number;
  installsOk: number;
  webhookP99: number;
  healthP99: number;
  streamFailures: number;
  sequentialP99: number;
  quietWebhookP99: number;
}

async function runRound(base: URL, tenant: { clientKey: string; secret: string }): Promise<Round> {
  // Baselines: the stream alone, then the installs one at a time.
  const quiet = startStream(base, tenant);
  await new Promise((r) => setTimeout(r, 1000));
  const quietResult = await quiet.stop();
  const serialAgent = new http.Agent({ keepAlive: true });
  const sequential: Timed[] = [];
  for (let i = 0; i < BURST; i++) sequential.push(await installRequest(serialAgent, base));
  serialAgent.destroy();

  const stream = startStream(base, tenant);
  await new Promise((r) => setTimeout(r, 300));
  const burstAgent = new http.Agent({ keepAlive: false, maxSockets: BURST });
  const installs = await Promise.all(Array.from({ length: BURST }, () => installRequest(burstAgent, base)));
  await new Promise((r) => setTimeout(r, 300));
  const { webhooks, health } = await stream.stop();
  burstAgent.destroy();
  return {
    installP99: percentile(installs.map((t) => t.ms), 99),
    installMax: Math.max(...installs.map((t) => t.ms)),
    installsOk: installs.filter((t) => t.status === 204).length,
    webhookP99: percentile(webhooks.map((t) => t.ms), 99),
    healthP99: percentile(health.map((t) => t.ms), 99),
    streamFailures: webhooks.filter((t) => t.status !== 204).length + health.filter((t) => t.status !== 200).length,
    sequentialP99: percentile(sequential.map((t) => t.ms), 99),
    quietWebhookP99: percentile(quietResult.webhooks.map((t) => t.ms), 99),
  };
}

export async function benchConcurrentInstalls(kind: 'sqlite' | 'postgres'): Promise<void> {
  const name = `concurrent-installs-${kind}`;
  const database = await createBenchDatabase(kind);
  if (!database) {
    console.log(`concurrent-installs-${kind}: skipped, set DATABASE_URL=postgres://… to run it`);
    return;
  }
  const { dataDir, databaseUrl, schema } = database;
  // The lifecycle limiter is raised here: this measures the storage layer, not the limiter.
  const bosun = await spawnServer('bosun-server.ts', {
    DATABASE_URL: databaseUrl, BOSUN_DATA_DIR: dataDir, BOSUN_APP_KEY: APP_KEY, BENCH_PG_SCHEMA: schema,
    BOSUN_LIFECYCLE_RATE_LIMIT: '100000', BOSUN_WORKER_CONCURRENCY: '4',
  });
  try {
    const base = new URL(bosun.url);
    const tenant = await installOne(base);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await runRound(base, tenant));
    const pick = (key: keyof Round) => median(rounds.map((r) => r[key]));
    const range = (key: keyof Round) => `${Math.min(...rounds.map((r) => r[key])).toFixed(1)}–${Math.max(...rounds.map((r) => r[key])).toFixed(1)}`;
    const installP99 = pick('installP99');
    const webhookP99 = pick('webhookP99');
    const healthP99 = pick('healthP99');
    const allOk = rounds.every((r) => r.installsOk === BURST && r.streamFailures === 0);
    console.log(`${name}: medians of ${ROUNDS} rounds (range in brackets), ${BURST} concurrent installs during a webhook stream (100/s) and /healthz (50/s)`);
    console.log(`${name}: installs answered 204: ${rounds.map((r) => `${r.installsOk}/${BURST}`).join(', ')}; stream failures: ${rounds.map((r) => r.streamFailures).join(', ')}`);
    console.log(`${name}: install p99 ${installP99.toFixed(1)} ms [${range('installP99')}] (one at a time: p99 ${pick('sequentialP99').toFixed(1)} ms [${range('sequentialP99')}])`);
    console.log(`${name}: webhook p99 during burst ${webhookP99.toFixed(1)} ms [${range('webhookP99')}] (no burst: ${pick('quietWebhookP99').toFixed(1)} ms); /healthz p99 ${healthP99.toFixed(1)} ms [${range('healthP99')}]`);
    const met = allOk && installP99 < 2000 && webhookP99 < 100 && healthP99 < 100;
    console.log(`${name}: targets (all answered, install p99 < 2 s, webhook and health p99 < 100 ms): ${met ? 'met' : 'NOT met'}`);
    console.log(`RESULT name=${name} value=${installP99.toFixed(1)} unit=ms baseline=${pick('sequentialP99').toFixed(1)} ratio=${(installP99 / Math.max(0.001, pick('sequentialP99'))).toFixed(2)}`);
    console.log(`RESULT name=${name}-webhook-p99 value=${webhookP99.toFixed(1)} unit=ms baseline=${pick('quietWebhookP99').toFixed(1)} ratio=${(webhookP99 / Math.max(0.001, pick('quietWebhookP99'))).toFixed(2)}`);
  } finally {
    await bosun.stop();
    await database.drop();
  }
}
