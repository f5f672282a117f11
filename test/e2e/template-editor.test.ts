import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';
import { waitFor } from '../helpers/wait-for';

/** Issue 14: the template editor in admin settings (problems beside their field), then a repository created from the template. */
describe('repository templates in admin settings', () => {
  const env = useBrowserStack({ height: 1600 });
  const admin = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');
  const templates = () => env.stack.bosun.services.db.models.RepositoryTemplate.count({ where: { clientKey: env.stack.installation.clientKey } });

  it('an invalid template is refused with each problem beside its field; fixed, it saves', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    const editor = admin().locator('[data-testid="template-editor"]');
    await editor.waitFor({ timeout: 15_000 });
    // Each setting explains itself.
    expect(await admin().locator('[data-testid="template-setting-webhooks"]').innerText()).toContain('matched by URL');

    await admin().locator('[data-testid="template-name"]').fill('service');
    await admin().locator('[data-testid="template-isPrivate"]').selectOption('private');
    await admin().locator('[data-testid="template-add-restriction"]').click();
    await admin().locator('[data-testid="template-restriction-kind-0"]').selectOption('require_approvals_to_merge');
    await admin().locator('[data-testid="template-add-webhook"]').click();
    await admin().locator('[data-testid="template-webhook-description-0"]').fill('CI');
    await admin().locator('[data-testid="template-webhook-url-0"]').fill('not a url');
    await admin().locator('[data-testid="template-readme-managed"]').check();
    await admin().locator('[data-testid="template-readme"]').fill('# Tools\n\nMade from the service template.\n');
    await admin().locator('[data-testid="template-save"]').click();

    await admin().locator('[data-testid="template-invalid"]').waitFor();
    expect(await admin().locator('[data-testid="template-issue-restriction-0"]').innerText()).toMatch(/^value: /);
    expect(await admin().locator('[data-testid="template-issue-webhook-0"]').innerText()).toMatch(/^url: /);
    expect(await templates()).toBe(0);

    await admin().locator('[data-testid="template-restriction-value-0"]').fill('2');
    await admin().locator('[data-testid="template-webhook-url-0"]').fill('https://ci.example.com/bitbucket');
    await admin().locator('[data-testid="template-save"]').click();
    await expect.poll(() => admin().locator('[data-testid="template-saved"]').textContent(), { timeout: 15_000 }).toBe('Saved service (version 1).');
    expect(await admin().locator('[data-testid="template-invalid"]').count()).toBe(0);
    const row = await env.stack.bosun.services.db.models.RepositoryTemplate.findOne({ where: { clientKey: env.stack.installation.clientKey, name: 'service' } });
    expect(JSON.parse(row!.template)).toMatchObject({
      name: 'service',
      settings: { isPrivate: true, readme: '# Tools\n\nMade from the service template.\n', branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main', value: 2 }], webhooks: [{ description: 'CI', url: 'https://ci.example.com/bitbucket', events: ['repo:push'], active: true }] },
    });
  });

  it('creates a repository from the template and reports what was applied', async () => {
    await admin().locator('[data-testid="create-repo"]').fill('tools');
    await admin().locator('[data-testid="create-submit"]').click();
    await expect.poll(() => admin().locator('[data-testid="create-progress"]').getAttribute('data-remaining'), { timeout: 20_000 }).toBe('0');
    expect(await admin().locator('[data-testid="create-progress"]').getAttribute('data-done')).toBe('1');
    // The create's report, step by step: the README is one of them.
    const report = await admin().locator('[data-testid="create-progress-repo"][data-repo="tools"]').innerText();
    expect(report).toContain('created repository acme/tools');
    expect(report).toContain('committed README.md from the template');
    const repo = await waitFor(() => env.stack.sandbox.state.repositories.find((r) => r.slug === 'tools') ?? null, 'the repository');
    expect(repo.isPrivate).toBe(true);
    expect(env.stack.sandbox.state.repositoryWebhooks.filter((h) => h.repoUuid === repo.uuid).map((h) => h.url)).toEqual(['https://ci.example.com/bitbucket']);
    // The README skeleton is the main branch's README.md, in a commit of its own.
    const head = env.stack.sandbox.state.branches.find((b) => b.repoUuid === repo.uuid && b.name === 'main')!.target;
    const commit = env.stack.sandbox.state.commits.find((c) => c.hash === head)!;
    expect(commit).toMatchObject({ message: 'Add README.md from repository template service\n', tree: { 'README.md': '# Tools\n\nMade from the service template.\n' } });
    await expect.poll(async () => (await admin().locator('[data-testid="create-result"]').count()) > 0, { timeout: 10_000 }).toBe(true);
    expect(await admin().locator('[data-testid="create-result"]').innerText()).toContain('Applied:');
  });
});
