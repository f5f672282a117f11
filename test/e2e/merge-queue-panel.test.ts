import { afterAll, describe, expect, it } from 'vitest';
import { attachQueueCi, type AttachedQueueCi } from '../../sandbox/queue-ci';
import { useBrowserStack } from '../helpers/browser-stack';

/**
 * The merge queue in a real browser against the sandbox: two PRs queued from their panels while
 * main is frozen show positions 1 and 2 (and the dashboard lists both); once main thaws they are
 * tested on queue branches by the sandbox's queue CI and land in order, and the panel says so.
 */
describe('merge queue from the PR panel (browser)', () => {
  let ci: AttachedQueueCi | undefined;
  const env = useBrowserStack({
    mergeQueueCiPollMs: 100,
    sandbox: { asyncMergeMs: 20, rateLimitPerHour: 0 },
    prepare: (stack) => {
      ci = attachQueueCi(stack.sandbox, { workspace: 'acme', repo: 'web', durationMs: 4_000 });
    },
  });
  afterAll(() => ci?.stop());

  it('queues two PRs from the panel, shows their positions, and they land in order', async () => {
    const { stack, page } = env;
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const openPr = (name: string) => {
      stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: `feature/${name}`, actor: 'bob', message: name, files: { [`${name}.txt`]: `${name}\n` } });
      return stack.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: name, sourceBranch: `feature/${name}` }).id;
    };
    const prState = (id: number) => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === id)!.state;
    const views = stack.bosun.services.deps.mergeQueueViews!;
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    // Frozen first, so both wait in the queue where the panel can show their places.
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true } }, 'test');
    const first = openPr('alpha');
    const second = openPr('bravo');
    const panel = page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');

    for (const [id, position] of [[first, '1'], [second, '2']] as const) {
      await page.goto(`${stack.sandboxUrl}/acme/web/pull-requests/${id}?as=bob`);
      const place = panel.getByTestId('merge-queue-place');
      await place.waitFor({ timeout: 15_000 });
      expect(await place.getAttribute('data-queued')).toBe('false');
      await panel.getByTestId('merge-queue-join').click();
      await panel.locator(`[data-testid="merge-queue-place"][data-position="${position}"]`).waitFor({ timeout: 20_000 });
      expect(await panel.getByTestId('merge-queue-headline').innerText()).toContain(`Position ${position} of ${position} in the main queue`);
      expect(await panel.getByTestId('merge-queue-detail').innerText()).toContain('main is frozen');
    }

    // The repository dashboard lists the queue in order.
    await page.goto(`${stack.sandboxUrl}/acme/web/addon/${stack.installation.key}/bosun-repo-dashboard?as=bob`);
    const dashboard = page.frameLocator('[data-testid="connect-iframe-bosun-repo-dashboard"]');
    await dashboard.locator('[data-testid="branch-queue"][data-branch="main"]').waitFor({ timeout: 15_000 });
    expect(await dashboard.getByTestId('branch-queue-entry').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pr')))).toEqual([String(first), String(second)]);

    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test');
    // The dashboard updates as the queue moves: a batch goes to testing (CI takes 4 s, the view refreshes every 3 s), then the queue empties.
    await dashboard.locator('[data-testid="branch-queue-entry"][data-state="testing"]').first().waitFor({ timeout: 20_000 });
    const deadline = Date.now() + 30_000;
    while ((prState(first) !== 'MERGED' || prState(second) !== 'MERGED') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect([prState(first), prState(second)]).toEqual(['MERGED', 'MERGED']);
    await dashboard.getByTestId('branch-queue-entry').first().waitFor({ state: 'detached', timeout: 15_000 });

    // Landed in queue order: alpha's merge came first.
    const fulfilled = stack.sent
      .filter((d) => d.headers['x-event-key'] === 'pullrequest:fulfilled')
      .map((d) => (JSON.parse(d.body) as { data: { pullrequest: { id: number } } }).data.pullrequest.id);
    expect(fulfilled.indexOf(first)).toBeLessThan(fulfilled.indexOf(second));

    await page.goto(`${stack.sandboxUrl}/acme/web/pull-requests/${second}?as=bob`);
    await panel.getByTestId('merge-queue-headline').waitFor({ timeout: 15_000 });
    expect(await panel.getByTestId('merge-queue-headline').innerText()).toBe('Merged by the main queue.');
  }, 120_000);
});
