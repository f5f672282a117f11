import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

describe('automation policy in admin settings', () => {
  const env = useBrowserStack();
  const admin = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');
  const panel = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');

  it('an admin edits the policy, previews it on current PRs, switches the rule on, saves, and the PR panel checklist follows it', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    await admin().locator('[data-testid="policy-text"]').waitFor({ timeout: 15_000 });
    expect(await admin().locator('[data-testid="policy-mode-readiness"]').inputValue()).toBe('dry-run');

    await admin().locator('[data-testid="policy-text"]').fill('{"readiness": {"titlePattern": "^WEB-\\\\d+ "}}');
    await admin().locator('[data-testid="policy-mode-readiness"]').selectOption('on');
    expect(JSON.parse(await admin().locator('[data-testid="policy-text"]').inputValue())).toEqual({ readiness: { titlePattern: '^WEB-\\d+ ', mode: 'on' } });

    await admin().locator('[data-testid="policy-preview"]').click();
    await admin().locator('[data-testid="policy-preview-result"]').waitFor();
    const open = env.stack.sandbox.state.pullRequests.filter((p) => p.state === 'OPEN' && !/^WEB-\d+ /.test(p.title));
    await expect.poll(() => admin().locator('[data-testid="policy-preview-change"]').count()).toBe(open.length);
    // A preview saves nothing.
    expect(await env.stack.bosun.services.db.models.Policy.count()).toBe(0);

    await admin().locator('[data-testid="policy-save"]').click();
    await expect.poll(async () => admin().locator('[data-testid="policy-saved"]').textContent()).toBe('Saved (version 1).');
    const row = await env.stack.bosun.services.db.models.Policy.findOne({ where: { clientKey: env.stack.installation.clientKey, scope: 'workspace' } });
    expect(JSON.parse(row!.layer)).toEqual({ readiness: { titlePattern: '^WEB-\\d+ ', mode: 'on' } });

    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/1`);
    await panel().locator('[data-testid="readiness-checklist"]').waitFor({ timeout: 15_000 });
    expect(await panel().locator('[data-testid="readiness-item"][data-id="title"]').getAttribute('data-status')).toBe('fail');
  });

  it('an invalid policy is refused with its problem named and nothing saved', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    await admin().locator('[data-testid="policy-text"]').waitFor({ timeout: 15_000 });
    await admin().locator('[data-testid="policy-text"]').fill('{"stale": {"mode": "sometimes"}}');
    await admin().locator('[data-testid="policy-save"]').click();
    await expect.poll(async () => (await admin().locator('[data-testid="admin-settings"]').innerText()).includes('stale.mode')).toBe(true);
    const row = await env.stack.bosun.services.db.models.Policy.findOne({ where: { clientKey: env.stack.installation.clientKey, scope: 'workspace' } });
    expect(row!.version).toBe(1);
  });
});
