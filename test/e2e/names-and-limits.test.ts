import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

/** Issue 16, items 4 and 5 in the browser: names in the plan and the audit log, what acts as the app, a request over the limit. */
describe('names, acting as the app, and limits in the panel and the audit log (browser)', () => {
  const env = useBrowserStack({ height: 1000 });
  const panel = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');
  const web = () => env.stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;

  it('a request over the limit is stopped in the field with a plain sentence, and nothing is sent', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/2?as=alice`);
    await panel().getByTestId('ask-input').waitFor({ timeout: 15_000 });
    await panel().getByTestId('ask-input').fill(`comment ${'x'.repeat(2000)}`);
    expect(await panel().getByTestId('ask-too-long').innerText()).toContain('Bosun reads requests of up to 2,000');
    expect(await panel().getByTestId('ask-submit').isDisabled()).toBe(true);
    await panel().getByTestId('ask-input').press('Enter');
    expect(await panel().getByTestId('plan-planning').count()).toBe(0);
    expect(await panel().locator('text=could not load').count()).toBe(0);
    await panel().getByTestId('ask-input').fill('comment ok');
    expect(await panel().getByTestId('ask-too-long').count()).toBe(0);
  });

  it('a plan names the repository workspace/slug and says which steps act as the app', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/2?as=alice`);
    await panel().getByTestId('ask-input').waitFor({ timeout: 15_000 });
    await panel().getByTestId('ask-input').fill('merge when green');
    await panel().getByTestId('ask-submit').click();
    await panel().getByTestId('plan-preview').waitFor({ timeout: 15_000 });
    const preview = await panel().getByTestId('plan-preview').innerText();
    expect(preview).toContain('acme/web');
    expect(preview).not.toContain(web().uuid);
    expect((await panel().getByTestId('plan-step-acts-as-app').innerText()).toLowerCase()).toBe('acts as bosun');
    await panel().getByTestId('plan-confirm').click();
    await panel().locator('[data-testid="plan-result"][data-outcome="succeeded"]').waitFor({ timeout: 20_000 });
    // The panel now shows the pending merge, armed by the person who asked.
    await panel().getByTestId('pending-merge').waitFor({ timeout: 15_000 });
    expect(await panel().getByTestId('pending-merge-requester').innerText()).toBe('armed by Alice Admin');
  }, 40_000);

  it('the audit log shows people by name and finds them, and repositories, by what people type', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    const frame = env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');
    await frame.getByTestId('audit-row').first().waitFor({ timeout: 15_000 });
    const table = () => frame.getByTestId('audit-table--table').innerText();
    expect(await table()).toContain('Alice Admin');
    expect(await table()).toContain('acme/web');
    expect(await table()).not.toContain(web().uuid);
    await frame.getByTestId('audit-filter-actor').fill('alice');
    await frame.getByTestId('audit-filter-repo').fill('web');
    await expect.poll(async () => (await table()).includes('Alice Admin'), { timeout: 10_000 }).toBe(true);
    await frame.getByTestId('audit-filter-actor').fill('Bob Builder');
    await frame.getByTestId('audit-empty').waitFor({ timeout: 10_000 });
  }, 40_000);
});
