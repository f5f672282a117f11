import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('CI integrations in admin settings', () => {
  const env = useBrowserStack();
  const admin = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');
  const open = async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    await admin().locator('[data-testid="ci-integrations"]').waitFor({ timeout: 15_000 });
  };
  const post = (url: string, body: string, secret: string) =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-bosun-signature': sign(secret, body) } });

  it('an admin creates an integration, sees its secret once, a CI delivery is listed, the secret is rotated and the integration deleted', async () => {
    await open();
    await admin().locator('[data-testid="ci-integrations-none"]').waitFor();

    // A form problem is named before anything is sent.
    await admin().locator('[data-testid="ci-create"]').click();
    expect(await admin().locator('[data-testid="ci-form-problem"]').textContent()).toMatch(/Give the integration a name/);
    await admin().locator('[data-testid="ci-name"]').fill('Nightly');
    await admin().locator('[data-testid="ci-repository"]').fill('web');
    await admin().locator('[data-testid="ci-create"]').click();
    expect(await admin().locator('[data-testid="ci-form-problem"]').textContent()).toMatch(/workspace\/repository/);
    expect(await env.stack.bosun.services.deps.ciIntegrations!.list(env.stack.installation.clientKey)).toHaveLength(0);

    await admin().locator('[data-testid="ci-repository"]').fill('acme/web');
    await admin().locator('[data-testid="ci-create"]').click();
    await admin().locator('[data-testid="ci-secret-once"]').waitFor();
    const secret = (await admin().locator('[data-testid="ci-secret-value"]').textContent()) ?? '';
    const endpoint = (await admin().locator('[data-testid="ci-secret-endpoint"]').textContent()) ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(endpoint).toMatch(new RegExp(`^${env.stack.bosun.url}/ci/generic/ci_[A-Za-z0-9]+$`));
    expect(await admin().locator('[data-testid="ci-secret-snippet"]').textContent()).toContain(secret);
    await admin().locator('[data-testid="ci-integration"]').waitFor();

    // The CI posts with that secret; a wrong signature is refused; both are listed after a reload.
    const commit = env.stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'ci/admin-e2e', actor: 'bob', message: 'CI admin e2e' }).hash;
    const body = JSON.stringify({ version: 1, commit, check: 'unit', state: 'success', url: 'https://ci.acme.test/unit/1' });
    expect((await post(endpoint, body, secret)).status).toBe(202);
    expect((await post(endpoint, body, 'not-the-secret-not-the-secret-000')).status).toBe(401);

    await open();
    // Shown once: after a reload the secret is nowhere on the page.
    await admin().locator('[data-testid="ci-integration"]').waitFor();
    expect(await admin().locator('[data-testid="ci-secret-once"]').count()).toBe(0);
    expect(await admin().locator('[data-testid="admin-settings"]').innerHTML()).not.toContain(secret);
    await expect.poll(() => admin().locator('[data-testid="ci-delivery"][data-outcome="accepted"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await admin().locator('[data-testid="ci-delivery"][data-outcome="rejected"]').count()).toBe(1);

    // Rotate: a new secret once; the old one no longer signs.
    await admin().locator('[data-testid="ci-integration-rotate"]').click();
    await admin().locator('[data-testid="ci-secret-once"]').waitFor();
    const rotated = (await admin().locator('[data-testid="ci-secret-value"]').textContent()) ?? '';
    expect(rotated).not.toBe(secret);
    expect((await post(endpoint, body, secret)).status).toBe(401);
    expect((await post(endpoint, body, rotated)).status).toBe(202);
    await admin().locator('[data-testid="ci-secret-done"]').click();
    expect(await admin().locator('[data-testid="ci-secret-once"]').count()).toBe(0);

    // Delete asks first; "Keep it" keeps it.
    await admin().locator('[data-testid="ci-integration-delete"]').click();
    await admin().locator('[data-testid="ci-integration-delete-cancel"]').click();
    expect(await admin().locator('[data-testid="ci-integration"]').count()).toBe(1);
    await admin().locator('[data-testid="ci-integration-delete"]').click();
    await admin().locator('[data-testid="ci-integration-delete-confirm"]').click();
    await admin().locator('[data-testid="ci-integrations-none"]').waitFor();
    expect(await env.stack.bosun.services.deps.ciIntegrations!.list(env.stack.installation.clientKey)).toHaveLength(0);
    expect((await post(endpoint, body, rotated)).status).toBe(404);
  });
});
