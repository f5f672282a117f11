import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSqlJobQueue, createWorker } from '../../../server/jobs';
import { createLogger } from '../../../server/log';
import { tempDir, testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from './open-test-database';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function spawnFixture(name: string, opened: OpenedTestDatabase, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', name)], {
    cwd: repoRoot,
    env: { ...process.env, JOBS_DB_URL: opened.test.url, JOBS_DB_SCHEMA: opened.test.schema ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): { out: () => string; err: () => string; exited: Promise<number | null> } {
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { out: () => out, err: () => err, exited };
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe.each(testDatabaseKinds())('job queue across processes (%s)', (kind) => {
  it('recovers a job whose worker process was SIGKILLed mid-handler and runs it exactly once', { timeout: 60_000 }, async () => {
    const opened = await openTestDatabase(kind);
    const sideEffects = path.join(tempDir('bosun-jobs-crash-'), 'side-effects.log');
    const leaseMs = 800;
    const type = 'crash:side-effect';
    const queue = createSqlJobQueue(opened.db);
    let child: ChildProcess | null = null;
    try {
      const { job } = await queue.enqueue({ clientKey: 'tenant-crash', type, payload: { pr: 1 }, dedupeKey: 'crash-1' });
      child = spawnFixture('crash-worker.ts', opened, { JOBS_SIDE_EFFECTS: sideEffects, JOBS_LEASE_MS: String(leaseMs), JOBS_TYPE: type });
      const io = collect(child);
      await waitFor(() => io.out().includes('IN_HANDLER') || child?.exitCode !== null, 'the child to enter its handler');
      expect(io.out(), io.err()).toContain('IN_HANDLER');

      // Alive and heartbeating: nobody can take it, even well past one lease.
      await sleep(leaseMs * 2);
      expect(await queue.claim('parent-probe', { types: [type], limit: 1, leaseMs })).toEqual([]);
      expect(await queue.get('tenant-crash', job.id)).toMatchObject({ state: 'running', attempts: 1, lockedBy: `crash-child:${child.pid}` });

      child.kill('SIGKILL');
      expect(await io.exited).toBeNull();
      // Killed but the lease still stands: not reclaimable yet.
      expect(await queue.claim('parent-probe', { types: [type], limit: 1, leaseMs })).toEqual([]);

      let runs = 0;
      const worker = createWorker({
        queue,
        concurrency: 2,
        pollIntervalMs: 25,
        leaseMs,
        logger,
        workerId: 'parent-worker',
        types: [type],
        handlers: {
          [type]: async (claimed) => {
            runs += 1;
            appendFileSync(sideEffects, `done ${claimed.id} attempt=${claimed.attempts}\n`);
            return { ok: true };
          },
        },
      });
      worker.start();
      await waitFor(async () => (await queue.get('tenant-crash', job.id))?.state === 'succeeded', 'the recovered job to succeed');
      // Keep the worker polling past another lease: nothing else must run.
      await sleep(leaseMs * 2);
      await worker.stop({ graceMs: 1_000 });

      const lines = readFileSync(sideEffects, 'utf8').trim().split('\n');
      expect(lines.filter((l) => l.startsWith('started'))).toEqual([`started ${job.id} attempt=1 pid=${child.pid}`]);
      expect(lines.filter((l) => l.startsWith('done'))).toEqual([`done ${job.id} attempt=2`]);
      expect(runs).toBe(1);
      expect(await queue.get('tenant-crash', job.id)).toMatchObject({ state: 'succeeded', attempts: 2, lockedBy: null, result: { ok: true } });
      expect(await queue.enqueue({ clientKey: 'tenant-crash', type, payload: {}, dedupeKey: 'crash-1' })).toMatchObject({ created: false });
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await opened.close();
    }
    expect(existsSync(sideEffects)).toBe(true);
  });

  it('three processes claiming 150 jobs at once never share one', { timeout: 60_000 }, async () => {
    const opened = await openTestDatabase(kind);
    const type = 'race:claim';
    const queue = createSqlJobQueue(opened.db);
    try {
      const ids = new Set<string>();
      for (let i = 0; i < 150; i++) ids.add((await queue.enqueue({ clientKey: `t${i % 4}`, type, payload: { i } })).job.id);
      const children = Array.from({ length: 3 }, () => {
        const child = spawnFixture('claim-loop.ts', opened, { JOBS_TYPE: type });
        return { child, io: collect(child) };
      });
      const codes = await Promise.all(children.map((c) => c.io.exited));
      expect(codes, children.map((c) => c.io.err()).join('\n')).toEqual([0, 0, 0]);
      const perChild = children.map((c) => JSON.parse(c.io.out().trim()) as string[]);
      const all = perChild.flat();
      expect(all).toHaveLength(150);
      expect(new Set(all)).toEqual(ids);
      const done = await opened.db.models.Job.count({ where: { type, state: 'succeeded' } });
      expect(done).toBe(150);
      console.log(`[${kind}] jobs claimed per process: ${perChild.map((p) => p.length).join(', ')}`);
    } finally {
      await opened.close();
    }
  });
});
