import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

describe('repository dashboard inside the sandbox repository page', () => {
  const env = useBrowserStack({
    prepare: async (stack) => {
      // More open PRs than one page of the table holds.
      for (let i = 0; i < 9; i++) {
        stack.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: `Chore ${String.fromCharCode(65 + i)}`, sourceBranch: 'feature/login-form' });
      }
      await stack.sandbox.idle();
    },
  });

  const frame = () => env.page.frameLocator(`[data-testid="connect-iframe-bosun-repo-dashboard"]`);
  const rowIds = () =>
    frame()
      .locator('[data-testid^="pull-requests--row-pr-"]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-testid')!.replace('pull-requests--row-pr-', ''))));

  it('lists the open PRs with their build state, ten to a page', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/addon/${env.stack.installation.key}/bosun-repo-dashboard`);
    await frame().locator('[data-testid="pull-requests--table"]').waitFor({ timeout: 15_000 });
    const openCount = env.stack.sandbox.state.pullRequests.filter((p) => p.repoUuid === env.stack.sandbox.state.repositories.find((r) => r.slug === 'web')!.uuid && p.state === 'OPEN').length;
    expect(openCount).toBeGreaterThan(10);
    expect(await rowIds()).toHaveLength(10);
    await frame().locator('[data-testid="pull-requests--pagination--page-1"]').click();
    expect(await rowIds()).toHaveLength(openCount - 10);
    await frame().locator('[data-testid="pull-requests--pagination--page-0"]').click();
    const first = frame().locator('[data-testid="pull-requests--row-pr-1"]');
    if (await first.count()) expect(await first.textContent()).toContain('In progress');
  });

  it('sorts by ID when the header is clicked, both ways', async () => {
    const idHeader = frame().locator('[data-testid="pull-requests--head--cell"]').filter({ hasText: 'ID' }).getByRole('button');
    await idHeader.click();
    const ascending = await rowIds();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(ascending[0]).toBe(1);
    await idHeader.click();
    const descending = await rowIds();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect(descending[0]).toBeGreaterThan(10);
  });
});
