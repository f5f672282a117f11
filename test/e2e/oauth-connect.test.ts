import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';
import { sandboxUser } from '../helpers/oauth-dance';

describe('a person connects their Bitbucket account and acts as themselves', () => {
  const env = useBrowserStack({ oauth: {} });

  const personal = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-personal-settings"]');
  const panel = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');

  it('connects from the personal page through Bitbucket\'s consent screen', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/account/settings/addon/${env.stack.installation.key}/bosun-personal-settings?as=bob`);
    await personal().locator('[data-testid="connection-status"][data-status="not_connected"]').waitFor({ timeout: 15_000 });
    const popupPromise = env.context.waitForEvent('page');
    await personal().getByTestId('connect-bitbucket').click();
    const popup = await popupPromise;
    await popup.locator('#oauth-approve').waitFor({ timeout: 15_000 });
    expect(await popup.content()).toContain('pullrequest:write');
    await popup.locator('#oauth-approve').click();
    await personal().locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 15_000 });
    const bob = sandboxUser(env.stack, 'bob');
    expect(await personal().getByTestId('connected-name').innerText()).toBe(bob.displayName);
  });

  it('approves a pull request from the PR panel, and Bitbucket shows the approval as that person', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/2?as=bob`);
    await panel().getByTestId('approve-button').waitFor({ timeout: 15_000 });
    expect(await panel().getByTestId('approve-button').innerText()).toContain('Approve as me');
    await panel().getByTestId('approve-button').click();
    await expect.poll(() => panel().getByTestId('approve-button').innerText()).toContain('Remove my approval');
    const bob = sandboxUser(env.stack, 'bob');
    const web = env.stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const pr = env.stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === 2)!;
    expect(pr.participants.find((p) => p.userUuid === bob.uuid)?.approved).toBe(true);
    await env.stack.sandbox.idle();
    const approvals = env.stack.sandbox.deliveries.filter((d) => d.event === 'pullrequest:approved');
    expect(approvals.length).toBeGreaterThanOrEqual(1);
  });

  it('a person who has not connected gets a Connect prompt instead of an error', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/2?as=dave`);
    await panel().getByTestId('approve-button').waitFor({ timeout: 15_000 });
    await panel().getByTestId('approve-button').click();
    await panel().locator('[data-testid="connect-prompt"][data-reason="not_connected"]').waitFor({ timeout: 15_000 });
  });

  it('disconnects, and points to Bitbucket\'s App authorizations page', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/account/settings/addon/${env.stack.installation.key}/bosun-personal-settings?as=bob`);
    await personal().getByTestId('disconnect-bitbucket').click();
    await personal().getByTestId('disconnected').waitFor({ timeout: 15_000 });
    expect(await personal().getByTestId('revoke-link').getAttribute('href')).toBe(`${env.stack.sandboxUrl}/account/settings/app-authorizations/`);
    // One state, not "Connected" and "Disconnected" at once.
    expect(await personal().getByTestId('connection-status').getAttribute('data-status')).toBe('not_connected');
    expect(await personal().getByTestId('connected-profile').count()).toBe(0);
    expect(await personal().getByTestId('connection-status').innerText()).not.toMatch(/\bConnected\b/);
    const bob = sandboxUser(env.stack, 'bob');
    expect(await env.stack.bosun.services.deps.vault.getConnection(env.stack.installation.clientKey, bob.uuid)).toBeNull();
  });
});
