import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

/** Lints `code` as if it were the file at `file` (never written: lintText takes the path for the config). */
async function arrowMessages(eslint: ESLint, file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('import arrows (DESIGN.md) are enforced by lint', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  it.each([
    ['server/jobs/handlers/probe.ts', 'jobs → bitbucket client', "import { createBitbucketClient } from '../../bitbucket';\nexport const c = createBitbucketClient;\n"],
    ['server/jobs/handlers/probe.ts', 'jobs → rules, even a type', "import type { MergeReadiness } from '../../rules';\nexport type R = MergeReadiness;\n"],
    ['server/jobs/probe.ts', 'jobs → storage', "import type { Tenant } from '../storage';\nexport type T = Tenant;\n"],
    ['server/web/probe.ts', 'web → connect', "import { createHostAuthenticator } from '../connect';\nexport const c = createHostAuthenticator;\n"],
    ['server/web/api/probe.ts', 'web → agent', "import { createExecutor } from '../../agent';\nexport const c = createExecutor;\n"],
    ['server/web/api/probe.ts', 'web → storage value', "import { createTenantStore } from '../../storage';\nexport const c = createTenantStore;\n"],
    ['server/auth/probe.ts', 'auth → storage (the cycle)', "import { createTenantStore } from '../storage';\nexport const c = createTenantStore;\n"],
    ['server/connect/probe.ts', 'connect → web', "import type { PageContext } from '../web/api/contracts';\nexport type P = PageContext;\n"],
    ['server/bitbucket/operations/probe.ts', 'bitbucket → anything of ours', "import type { Logger } from '../../log';\nexport type L = Logger;\n"],
    ['server/rules/probe.ts', 'rules → bitbucket', "import type { BitbucketClient } from '../bitbucket';\nexport type B = BitbucketClient;\n"],
    ['server/agent/tools/probe.ts', 'agent → jobs', "import { createApp } from '../../app';\nimport { createJobHandlers } from '../../jobs';\nexport const c = [createApp, createJobHandlers];\n"],
  ])('%s: %s is refused', async (file, _label, code) => {
    const messages = await arrowMessages(eslint, file, code);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toMatch(/import arrows in DESIGN\.md/);
  });

  it.each([
    ['server/jobs/handlers/probe.ts', "import { hasWriteAccess } from '../../agent';\nimport type { Tenant } from '../../host';\nexport const c = hasWriteAccess;\nexport type T = Tenant;\n"],
    ['server/web/api/probe.ts', "import type { Tenant } from '../../storage';\nimport { HostAuthError } from '../../host';\nexport type T = Tenant;\nexport const e = HostAuthError;\n"],
    ['server/storage/probe.ts', "import type { UserConnectionStore } from '../auth';\nexport type U = UserConnectionStore;\n"],
    ['server/bitbucket/operations/probe.ts', "import { createSemaphore } from '../semaphore';\nexport const s = createSemaphore;\n"],
    ['server/app-probe.ts', "import { createExecutor } from './agent';\nimport { createTenantStore } from './storage';\nexport const c = [createExecutor, createTenantStore];\n"],
  ])('%s: an import along the arrows passes', async (file, code) => {
    expect(await arrowMessages(eslint, file, code)).toEqual([]);
  });

  // Lints every tracked server file: seconds on an idle machine, far more beside a busy suite.
  it('the checked-in server/ tree breaks no arrow', { timeout: 180_000 }, async () => {
    // Files git tracks: work in progress nobody committed yet is not the tree.
    const tracked = execFileSync('git', ['ls-files', '--', 'server/*.ts'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(tracked.length).toBeGreaterThan(50);
    const results = await eslint.lintFiles(tracked);
    const broken = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`),
    );
    expect(broken).toEqual([]);
  });
});
