import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

/** Admin settings in a real browser: set up main's queue, change its lanes and batching, freeze it, pause it, and set how queues merge in the policy. */
describe('merge queue settings (browser)', () => {
  const env = useBrowserStack({ height: 2400 });

  it('an admin sets up a branch queue, saves lanes and batch size, freezes and pauses it, and saves the fast_forward strategy and source-branch closing to the policy', async () => {
    const { stack, page } = env;
    const admin = page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');
    await page.goto(`${stack.sandboxUrl}/acme/workspace/settings/addon/${stack.installation.key}/bosun-admin-settings`);
    await admin.getByTestId('merge-queue-settings').waitFor({ timeout: 15_000 });
    await admin.getByTestId('queue-add-repository').fill('acme/web');
    await admin.getByTestId('queue-add-submit').click();
    const queue = admin.locator('[data-testid="queue-settings"][data-queue="acme/web:main"]');
    await queue.waitFor({ timeout: 15_000 });

    await queue.getByTestId('queue-lanes').fill('hotfix, normal');
    await queue.getByTestId('queue-batch-size').fill('0');
    await queue.getByTestId('queue-save').click();
    expect(await queue.getByTestId('queue-settings-problems').innerText()).toContain('Batch size is a whole number from 1 to 50.');
    await queue.getByTestId('queue-batch-size').fill('4');
    await queue.getByTestId('queue-save').click();
    await queue.getByTestId('queue-settings-problems').waitFor({ state: 'detached', timeout: 10_000 });

    await admin.locator('[data-testid="queue-settings"][data-queue="acme/web:main"] [data-testid="queue-freeze"]').click();
    await admin.locator('[data-testid="queue-settings"][data-queue="acme/web:main"]', { hasText: 'Frozen' }).waitFor({ timeout: 10_000 });
    await admin.locator('[data-testid="queue-settings"][data-queue="acme/web:main"] [data-testid="queue-pause"]').click();
    await admin.locator('[data-testid="queue-settings"][data-queue="acme/web:main"]', { hasText: 'Paused' }).waitFor({ timeout: 10_000 });

    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    // How the queues merge is the workspace policy's: the strategy select and the close-source-branch checkbox save it there.
    const landing = admin.getByTestId('queue-landing');
    await landing.getByTestId('queue-strategy').selectOption('fast_forward');
    await landing.getByTestId('queue-close-source-branch').check();
    await landing.getByTestId('queue-landing-save').click();
    await landing.getByTestId('queue-landing-saved').waitFor({ timeout: 10_000 });
    const policy = await stack.bosun.services.deps.policyViews!.loadWorkspacePolicy(tenant);
    expect(policy.layer).toMatchObject({ mergeQueue: { strategy: 'fast_forward', closeSourceBranch: true } });
    await page.reload();
    await admin.getByTestId('queue-landing').waitFor({ timeout: 15_000 });
    await expect.poll(() => admin.getByTestId('queue-strategy').inputValue(), { timeout: 10_000 }).toBe('fast_forward');
    expect(await admin.getByTestId('queue-close-source-branch').isChecked()).toBe(true);

    const [saved] = (await stack.bosun.services.deps.mergeQueueViews!.listForAdmin(tenant)).queues;
    expect(saved).toMatchObject({ repository: 'acme/web', branch: 'main', freeze: { frozen: true }, paused: true, settings: { lanes: ['hotfix', 'normal'], batchSize: 4 } });
  }, 60_000);
});
