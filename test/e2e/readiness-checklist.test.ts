import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

describe('readiness checklist in the PR panel', () => {
  const env = useBrowserStack();
  const panel = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');
  const items = () => panel().locator('[data-testid="readiness-item"]');
  const statusOf = (id: string) => panel().locator(`[data-testid="readiness-item"][data-id="${id}"]`).getAttribute('data-status');

  it('lists what blocks the merge, and agrees with what the sandbox allows before and after the blocker is lifted', async () => {
    const a = env.stack.sandbox.actions;
    a.createBranchRestriction({ workspace: 'acme', repo: 'web' }, { kind: 'require_passing_builds_to_merge', branchMatchKind: 'glob', pattern: 'main', value: 1 });
    a.createBranchRestriction({ workspace: 'acme', repo: 'web' }, { kind: 'enforce_merge_checks', branchMatchKind: 'glob', pattern: '*' });
    a.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/e2e-ready', actor: 'bob', message: 'work' });
    const pr = a.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'E2E readiness', sourceBranch: 'feature/e2e-ready', reviewers: ['carol'] });
    a.setCommitStatus({ workspace: 'acme', repo: 'web', commit: pr.source.hash, actor: 'bob', key: 'ci', name: 'Unit', state: 'INPROGRESS' });

    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/${pr.id}`);
    await panel().locator('[data-testid="readiness-checklist"]').waitFor({ timeout: 15_000 });
    expect(await panel().locator('[data-testid="readiness-verdict"]').getAttribute('data-verdict')).toBe('waiting');
    expect(await statusOf('builds')).toBe('pending');
    expect(await items().first().getAttribute('data-id')).toBe('builds');
    await expect.poll(async () => (await panel().locator('[data-testid="readiness-checklist"]').innerText()).includes('Builds still running: Unit.')).toBe(true);
    expect(() => a.merge({ workspace: 'acme', repo: 'web', id: pr.id }, 'alice')).toThrow(/merge checks/);

    a.setCommitStatus({ workspace: 'acme', repo: 'web', commit: pr.source.hash, actor: 'bob', key: 'ci', name: 'Unit', state: 'SUCCESSFUL' });
    await env.page.reload();
    await panel().locator('[data-testid="readiness-checklist"]').waitFor({ timeout: 15_000 });
    expect(await panel().locator('[data-testid="readiness-verdict"]').getAttribute('data-verdict')).toBe('ready');
    expect(await statusOf('builds')).toBe('pass');
    expect(a.merge({ workspace: 'acme', repo: 'web', id: pr.id }, 'alice').state).toBe('MERGED');
  });
});
