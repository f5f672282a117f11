import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

describe('admin settings and personal settings inside the sandbox', () => {
  const env = useBrowserStack({
    prepare: async (stack) => {
      stack.sandbox.actions.approve({ workspace: 'acme', repo: 'web', id: 2 }, 'alice');
      await stack.sandbox.idle();
    },
  });

  it('admin settings show the installation, its scopes and the webhook that arrived', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    const frame = env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');
    await frame.locator('[data-testid="admin-settings"]').waitFor({ timeout: 15_000 });
    const text = await frame.locator('[data-testid="admin-settings"]').innerText();
    expect(text).toContain('acme');
    expect(await frame.locator('[data-testid="scopes"]').innerText()).toContain('pullrequest');
    // What a workspace admin enters when creating the OAuth consumer in Bitbucket.
    expect(await frame.getByTestId('oauth-callback-url').innerText()).toBe(`${env.stack.bosun.url}/oauth/callback`);
    const setup = await frame.getByTestId('oauth-setup').innerText();
    for (const scope of ['account', 'email', 'pullrequest:write', 'repository:write', 'pipeline:write']) expect(setup).toContain(scope);
    const delivery = env.stack.sandbox.deliveries.find((d) => d.event === 'pullrequest:approved')!;
    await expect.poll(() => frame.locator('[data-testid="webhook-deliveries--table"]').innerText()).toContain(delivery.requestUuid);
  });

  it('admin settings show the sync progress and the request budget, and keep the budget live while open', async () => {
    // The page's own timers on a clock the test can move: time flows as usual, and the idle refresh (15 s
    // once the sync is done) is reached by a jump rather than by waiting it out.
    await env.page.clock.install();
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    const frame = env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');
    await frame.locator('[data-testid="admin-settings"]').waitFor({ timeout: 15_000 });
    const acme = env.stack.sandbox.state.workspaces.find((w) => w.slug === 'acme')!;
    const repositories = env.stack.sandbox.state.repositories.filter((r) => r.workspaceUuid === acme.uuid).length;
    await expect.poll(() => frame.getByTestId('mirror-sync-progress').innerText(), { timeout: 20_000 }).toBe(`${repositories} of ${repositories}`);
    const installation = frame.locator('[data-testid="budget-credential"]').filter({ hasText: 'Bosun (installation)' });
    const before = Number(await installation.getAttribute('data-remaining'));
    expect(before).toBeGreaterThan(0);
    // The rules read the PR as the installation after an approval: the open page shows the spend without a reload.
    env.stack.sandbox.actions.approve({ workspace: 'acme', repo: 'web', id: 2 }, 'bob');
    await env.stack.sandbox.idle();
    await expect
      .poll(
        async () => {
          await env.page.clock.fastForward(5_000);
          return Number(await installation.getAttribute('data-remaining'));
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBeLessThan(before);
  });

  it('personal settings show the viewer and offer to connect a Bitbucket account', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/account/settings/addon/${env.stack.installation.key}/bosun-personal-settings?as=bob`);
    const frame = env.page.frameLocator('[data-testid="connect-iframe-bosun-personal-settings"]');
    await frame.locator('[data-testid="personal-settings"]').waitFor({ timeout: 15_000 });
    expect(await frame.locator('[data-testid="connection-status"]').getAttribute('data-status')).toBe('not_connected');
    const bob = env.stack.sandbox.state.users.find((u) => u.nickname === 'bob')!;
    const context = await frame.locator('script#bosun-context').textContent();
    expect(JSON.parse(context!)).toMatchObject({ userUuid: bob.uuid, page: 'personal-settings' });
  });
});
