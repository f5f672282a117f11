import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

describe('bot pull requests by rule, switched on in admin settings', () => {
  const env = useBrowserStack();
  const admin = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');

  it('an admin switches the bot PR rule on; a pushed release branch gets one PR with the templated title, and a second push none', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    await admin().locator('[data-testid="policy-text"]').waitFor({ timeout: 15_000 });
    await admin().locator('[data-testid="policy-text"]').fill(JSON.stringify({ botPullRequests: { rules: [{ branches: 'release/*', target: 'main', title: 'Release {{branch.name}}' }] } }));
    await admin().locator('[data-testid="policy-mode-botPullRequests"]').selectOption('on');
    await admin().locator('[data-testid="policy-save"]').click();
    await expect.poll(async () => admin().locator('[data-testid="policy-saved"]').textContent()).toBe('Saved (version 1).');

    const a = env.stack.sandbox.actions;
    const repoUuid = env.stack.sandbox.state.repositories.find((r) => r.slug === 'web')!.uuid;
    const opened = () => env.stack.sandbox.state.pullRequests.filter((p) => p.repoUuid === repoUuid && p.source.branch === 'release/3.1');
    a.pushCommit({ workspace: 'acme', repo: 'web', branch: 'release/3.1', actor: 'bob', message: 'Cut 3.1' });
    await expect.poll(() => opened().length, { timeout: 20_000 }).toBe(1);
    expect(opened()[0]).toMatchObject({ title: 'Release 3.1', state: 'OPEN', destination: expect.objectContaining({ branch: 'main' }) });

    a.pushCommit({ workspace: 'acme', repo: 'web', branch: 'release/3.1', actor: 'bob', message: 'Fix 3.1' });
    // Both pushes' rules jobs have run: never two PRs for the same source and target.
    await expect
      .poll(async () => (await env.stack.bosun.services.db.models.Job.count({ where: { clientKey: env.stack.installation.clientKey, type: 'rules.push', state: 'succeeded' } })), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    expect(opened()).toHaveLength(1);

    // The PR page shows it like any other.
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/${opened()[0]!.id}`);
    await expect.poll(async () => (await env.page.locator('body').innerText()).includes('Release 3.1'), { timeout: 15_000 }).toBe(true);
  });
});
