import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/create-services';

/** `npm run sandbox` as a person runs it: its own process, configured by the environment. */
function runSandbox(env: Record<string, string>): { child: ChildProcess; output: Promise<{ url: string | null; stderr: string; code: number | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'sandbox/main.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const output = new Promise<{ url: string | null; stderr: string; code: number | null }>((resolve) => {
    child.stdout?.on('data', (d: Buffer) => {
      const m = /listening on (\S+),/.exec(d.toString());
      if (m?.[1]) resolve({ url: m[1], stderr, code: null });
    });
    child.once('exit', (code) => resolve({ url: null, stderr, code }));
  });
  return { child, output };
}

describe('the sandbox from the command line', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGTERM');
  });

  it('injects the faults given in SANDBOX_FAULTS', async () => {
    const run = runSandbox({ SANDBOX_FAULTS: JSON.stringify([{ method: 'GET', pathPattern: '/2.0/repositories/**', status: 503, times: 1 }]) });
    children.push(run.child);
    const { url } = await run.output;
    expect(url).not.toBeNull();
    const first = await fetch(`${url}/2.0/repositories/acme/web`);
    expect(first.status).toBe(503);
    // times: 1 — the next request gets the real answer (no credentials: 401).
    expect((await fetch(`${url}/2.0/repositories/acme/web`)).status).toBe(401);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 30_000);

  it('refuses bad fault JSON with a message naming the variable', async () => {
    const run = runSandbox({ SANDBOX_FAULTS: '{not json' });
    children.push(run.child);
    const result = await run.output;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SANDBOX_FAULTS');
  }, 30_000);
});
