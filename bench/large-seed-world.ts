/**
 * What the mirror and workspace benchmarks share: the sandbox on the large seed over HTTP on
 * loopback, a Connect install with the scopes the bench reads need, SQLite in a temp dir, the
 * installation's client and the mirror's store, sync and source. Plus their sampling helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { createBitbucketClient, type BitbucketClient } from '../server/bitbucket';
import { createLogger } from '../server/log';
import { createBitbucketMirrorSource, createMirrorSync } from '../server/mirror';
import { createDatabase, createSqlMirrorStore } from '../server/storage';
import { createSandbox } from '../sandbox';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

export function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
}

export async function timeEach(n: number, run: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    out.push(performance.now() - t0);
  }
  return out;
}

/** A free loopback port: the sandbox's page links carry its own origin, so it must be known before it starts. */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Serves a descriptor with the scopes the bench's reads need (the sandbox checks them). */
async function startDescriptorHost(scopes: readonly string[]): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  let base = '';
  app.get('/atlassian-connect.json', (_req, res) => {
    res.json({ key: 'bosun-bench', baseUrl: base, authentication: { type: 'jwt' }, lifecycle: { installed: '/installed' }, scopes, contexts: ['account'], modules: {} });
  });
  app.post('/installed', (_req, res) => res.status(204).end());
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
      resolve({ url: base, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

export async function openLargeSeedWorld(input: { largeSeed: { repositories: number; openPullRequestsPerRepository: number }; scopes: readonly string[] }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bosun-bench-world-'));
  const port = await findFreePort();
  const sandbox = createSandbox({ publicUrl: `http://127.0.0.1:${port}`, logger: quiet, seed: 'large', largeSeed: input.largeSeed, rateLimitPerHour: 0 });
  const listening = await sandbox.listen(port);
  const host = await startDescriptorHost(input.scopes);
  const db = await createDatabase({ url: `sqlite:${path.join(dir, 'bosun.sqlite')}`, logger: createLogger({ level: 'silent' }) });
  const close = async () => {
    await db.close();
    await sandbox.close();
    await listening.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const inst = await sandbox.install(`${host.url}/atlassian-connect.json`);
    const client: BitbucketClient = createBitbucketClient({
      baseApiUrl: listening.url, auth: { kind: 'connect-jwt', appKey: inst.key, clientKey: inst.clientKey, sharedSecret: inst.sharedSecret }, maxConcurrency: 8,
    });
    const store = createSqlMirrorStore(db);
    const sync = createMirrorSync({ store, now: () => new Date() });
    const source = createBitbucketMirrorSource(client, 'acme');
    return { sandbox, db, client, store, sync, source, clientKey: inst.clientKey, credential: `app:${inst.clientKey}`, close };
  } catch (error) {
    await close();
    throw error;
  }
}
