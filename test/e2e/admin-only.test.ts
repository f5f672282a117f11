import { describe, expect, it } from 'vitest';
import { buildIframeUrl } from '../../sandbox/connect/build-iframe-url';
import { useBrowserStack } from '../helpers/browser-stack';

describe('admin settings for someone who is not a workspace admin', () => {
  // Ask Bitbucket on every request, so that a demotion between the page and its API call shows.
  const env = useBrowserStack({ env: { BOSUN_ADMIN_CHECK_TTL_SECONDS: '0' } });
  const workspace = () => env.stack.sandbox.state.workspaces.find((w) => w.slug === 'acme')!;

  it('opening Bosun\'s admin page as bob shows the plain "only workspace admins" page', async () => {
    const installation = env.stack.sandbox.state.installations.find((i) => i.clientKey === env.stack.installation.clientKey)!;
    const bob = env.stack.sandbox.state.users.find((u) => u.nickname === 'bob')!;
    const url = buildIframeUrl({
      installation,
      moduleUrl: '/pages/admin-settings?userUuid={user.uuid}&accountId={user.account_id}',
      context: { workspace: workspace(), user: bob },
      hostOrigin: env.stack.sandboxUrl,
      channelId: 'e2e',
      now: new Date(),
    });
    const response = await env.page.goto(url);
    expect(response?.status()).toBe(403);
    const text = await env.page.getByTestId('admin-only').innerText();
    expect(text).toContain('Only workspace admins can open Bosun\'s settings');
    expect(text).toContain('not an admin of the Acme workspace');
  });

  it('the admin settings page says "only workspace admins" when the API answers 403', async () => {
    // Alice opens the page as an admin; Bitbucket demotes her before its API call reaches Bosun.
    await env.page.route('**/api/admin-settings', async (route) => {
      workspace().admins = [];
      await route.continue();
    });
    try {
      await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings?as=alice`);
      const frame = env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');
      const message = frame.getByTestId('admins-only');
      await message.waitFor({ timeout: 15_000 });
      expect(await message.innerText()).toContain('Only workspace admins can see Bosun\'s settings');
      expect(await frame.getByTestId('admin-settings').count()).toBe(0);
      expect(await frame.getByTestId('error-message').count()).toBe(0);
    } finally {
      workspace().admins = ['alice'];
      await env.page.unroute('**/api/admin-settings');
    }
  });
});
