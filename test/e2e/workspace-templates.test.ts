import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';
import { listRepositoryFacts } from '../helpers/list-repository-facts';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { waitFor } from '../helpers/wait-for';

const REPOS = ['svc-a', 'svc-b', 'svc-c'];
const template = {
  name: 'service',
  summary: 'Back-end services',
  settings: { isPrivate: true, branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main', value: 2 }], pipelinesEnabled: true },
};

/** Issue 14: an admin previews a template on three repositories in the workspace page, applies it, watches progress, and sees drift go to zero. */
describe('workspace page: bulk template apply and drift', () => {
  const env = useBrowserStack({
    prepare: async (stack) => {
      for (const slug of REPOS) stack.sandbox.actions.createRepository({ workspace: 'acme', slug, actor: 'alice', isPrivate: false });
      const saved = await callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), 'POST', '/api/admin/templates', { template, expectedVersion: 0 });
      expect(saved.status).toBe(200);
      // The workspace page reads the mirror: sync it first, as the scheduler does after an install.
      await stack.bosun.services.scheduler.tick();
      await waitFor(async () => (await stack.bosun.services.db.models.MirrorSyncProgress.findByPk(stack.installation.clientKey))?.state === 'done' || null, 'the mirror synced');
      // The preview reads their settings from the mirror: the sweep lists them (as it does over time).
      await listRepositoryFacts(stack, REPOS);
    },
    height: 1400,
  });
  const frame = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-workspace"]');
  const repoOf = (slug: string) => env.stack.sandbox.state.repositories.find((r) => r.slug === slug)!;
  const open = async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-workspace`);
    await frame().locator('[data-testid="workspace-repositories--table"]').waitFor({ timeout: 15_000 });
    await frame().locator('[data-testid="bulk-apply"]').waitFor();
  };
  const drifted = async () => Number(await frame().locator('[data-testid="total-drifted"]').getAttribute('data-value'));

  it('lists every repository from the mirror, previews three, applies once confirmed, and drift is zero', async () => {
    await open();
    expect(Number(await frame().locator('[data-testid="workspace-totals"] [data-testid="total-open"]').getAttribute('data-value'))).toBe(
      env.stack.sandbox.state.pullRequests.filter((p) => p.state === 'OPEN').length,
    );
    await frame().locator('[data-testid="workspace-filter"]').selectOption('no-template');
    for (const slug of REPOS) await frame().locator(`[data-testid="select-${slug}"]`).check();
    await frame().locator('[data-testid="bulk-preview"]').click();
    await expect.poll(() => frame().locator('[data-testid="template-preview-repo"]').count(), { timeout: 15_000 }).toBe(3);
    expect(await frame().locator('[data-testid="template-preview-repo"][data-repo="acme/svc-a"] [data-testid="template-preview-change"]').allTextContents()).toEqual([
      'make the repository private', 'add branch restriction require_approvals_to_merge = 2 on main', 'enable Pipelines',
    ]);
    // A preview changes nothing.
    expect(repoOf('svc-a').isPrivate).toBe(false);

    await frame().locator('[data-testid="bulk-confirm"]').click();
    await expect.poll(() => frame().locator('[data-testid="bulk-progress"]').getAttribute('data-remaining'), { timeout: 20_000 }).toBe('0');
    expect(await frame().locator('[data-testid="bulk-progress"]').getAttribute('data-done')).toBe('3');
    for (const slug of REPOS) expect(repoOf(slug)).toMatchObject({ isPrivate: true, pipelinesEnabled: true });

    await frame().locator('[data-testid="workspace-filter"]').selectOption('all');
    await expect.poll(() => frame().locator('[data-testid="workspace-repositories--row-svc-a"] [data-testid="repository-drift"]').getAttribute('data-drift'), { timeout: 15_000 }).toBe('in-sync');
    expect(await drifted()).toBe(0);
    await frame().locator('[data-testid="drift-none"]').waitFor();
  });

  it('drift found by Check now shows in the list; Fix previews, applies once confirmed, and drift is zero again', async () => {
    // Someone makes svc-b public by hand; "Check now" runs the drift check and the page shows what it found.
    repoOf('svc-b').isPrivate = false;
    await open();
    expect(await drifted()).toBe(0);
    await frame().locator('[data-testid="drift-check-now"]').click();
    await expect.poll(() => frame().locator('[data-testid="drift-checked"]').textContent(), { timeout: 20_000 }).toBe('Checked 3 repositories: 1 differ.');
    await expect.poll(drifted, { timeout: 15_000 }).toBe(1);
    await frame().locator('[data-testid="drift-repo"][data-repo="acme/svc-b"]').waitFor();
    await frame().locator('[data-testid="drift-fix-svc-b"]').click();
    await frame().locator('[data-testid="drift-fix-preview"]').waitFor({ timeout: 15_000 });
    expect(await frame().locator('[data-testid="drift-preview-change"]').allTextContents()).toEqual(['make the repository private']);
    expect(repoOf('svc-b').isPrivate).toBe(false);
    await frame().locator('[data-testid="drift-fix-confirm"]').click();
    await frame().locator('[data-testid="drift-none"]').waitFor({ timeout: 20_000 });
    await expect.poll(drifted, { timeout: 15_000 }).toBe(0);
    expect(repoOf('svc-b').isPrivate).toBe(true);
  });

  it('a member who is not an admin can neither list the repositories nor apply templates', async () => {
    const bob = sessionFor(env.stack, 'bob', 'workspace');
    const read = await callApi(env.stack, bob, 'GET', '/api/workspace');
    expect(read.status).toBe(403);
    expect(read.json.error.code).toBe('NOT_WORKSPACE_ADMIN');
    expect(JSON.stringify(read.json)).not.toContain('acme/');
    const apply = await callApi(env.stack, bob, 'POST', '/api/admin/templates/apply', { template: 'service', repos: REPOS, batchKey: 'bob-batch-0001', confirmed: true });
    expect(apply.status).toBe(403);
    expect((await callApi(env.stack, bob, 'GET', '/api/admin/templates')).status).toBe(403);
  });
});
