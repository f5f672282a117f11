import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

describe('PR panel inside the sandbox PR page', () => {
  const env = useBrowserStack();

  const panel = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');

  it('shows the PR\'s real build statuses, reviewers and approvals', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/1`);
    await panel().locator('[data-testid="pr-panel"]').waitFor({ timeout: 15_000 });
    const statuses = panel().locator('[data-testid="build-status"]');
    await expect.poll(() => statuses.count()).toBe(2);
    const states = await statuses.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')).sort());
    expect(states).toEqual(['INPROGRESS', 'SUCCESSFUL']);
    expect(await panel().locator('[data-testid="aggregate-state"]').getAttribute('data-state')).toBe('INPROGRESS');
    const links = await panel().locator('[data-testid="build-status-link"]').evaluateAll((els) => els.map((e) => (e as HTMLAnchorElement).href));
    const seeded = env.stack.sandbox.state.statuses.filter((s) => links.includes(s.url ?? ''));
    expect(seeded).toHaveLength(2);
    const reviewers = panel().locator('[data-testid="reviewer"]');
    expect(await reviewers.count()).toBeGreaterThanOrEqual(2);
    expect(await panel().locator('[data-testid="reviewer"][data-approved="true"]').count()).toBe(1);
  });

  it('the iframe resizes to its content', async () => {
    const iframe = env.page.locator('[data-testid="connect-iframe-bosun-pr-panel"]');
    const contentHeight = await panel().locator('body').evaluate((b) => b.scrollHeight);
    await expect.poll(async () => (await iframe.boundingBox())?.height ?? 0).toBeGreaterThan(200);
    const frameHeight = (await iframe.boundingBox())!.height;
    expect(Math.abs(frameHeight - contentHeight)).toBeLessThan(40);
  });

  it('follows a status posted in the sandbox after a reload', async () => {
    await env.page.locator('input[name="key"]').fill('security-scan');
    await env.page.locator('select[name="state"]').selectOption('FAILED');
    await env.page.locator('input[name="name"]').fill('Security scan');
    await env.page.locator('input[name="url"]').fill('https://ci.example.com/scan/9');
    await env.page.getByRole('button', { name: 'Add build status' }).click();
    await env.page.waitForLoadState('load');
    // The panel reads Bosun's mirror, which learns of the status by webhook: reload once it has arrived.
    await env.stack.sandbox.idle();
    await env.page.reload();
    await panel().locator('[data-testid="pr-panel"]').waitFor();
    expect(await panel().locator('[data-testid="freshness"]').getAttribute('data-source')).toBe('mirror');
    await expect.poll(() => panel().locator('[data-testid="build-status"]').count()).toBe(3);
    expect(await panel().locator('[data-testid="build-status"][data-state="FAILED"]').count()).toBe(1);
    expect(await panel().locator('[data-testid="aggregate-state"]').getAttribute('data-state')).toBe('FAILED');
    await env.stack.sandbox.idle();
    const stored = await env.stack.bosun.services.deps.deliveries.listRecent(env.stack.installation.clientKey, 5);
    expect(stored.map((d) => d.eventKey)).toContain('repo:commit_status_created');
  });
});
