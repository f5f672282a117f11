import { afterAll, describe, expect, it } from 'vitest';
import { attachQueueCi, type AttachedQueueCi } from '../../sandbox/queue-ci';
import { useBrowserStack } from '../helpers/browser-stack';
import { callApi, sessionFor } from '../helpers/oauth-dance';

/**
 * The merge queue in a real browser against the sandbox: three PRs queued to main from their
 * panels while main is frozen show positions 1, 2 and 3 (and the dashboard lists them); once main
 * thaws they are tested together as one batch on a queue branch by the sandbox's queue CI, the
 * panel and the dashboard show that batch testing, it goes green and lands, main is the tested
 * commit, the PRs merged in queue order, and both views say so.
 */
describe('merge queue from the PR panel (browser)', () => {
  let ci: AttachedQueueCi | undefined;
  const env = useBrowserStack({
    mergeQueueCiPollMs: 100,
    sandbox: { asyncMergeMs: 20, rateLimitPerHour: 0 },
    prepare: (stack) => {
      ci = attachQueueCi(stack.sandbox, { workspace: 'acme', repo: 'web', durationMs: 8_000 });
    },
  });
  afterAll(() => ci?.stop());

  it('queues three PRs to main from the panel; they land in order through one tested batch, and the queue view follows', async () => {
    const { stack, page } = env;
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const openPr = (name: string) => {
      stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: `feature/${name}`, actor: 'bob', message: name, files: { [`${name}.txt`]: `${name}\n` } });
      return stack.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: name, sourceBranch: `feature/${name}` }).id;
    };
    const prState = (id: number) => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === id)!.state;
    const views = stack.bosun.services.deps.mergeQueueViews!;
    const tenant = (await stack.bosun.services.deps.tenants.get(stack.installation.clientKey))!;
    const mainHead = () => stack.sandbox.state.branches.find((b) => b.repoUuid === web.uuid && b.name === 'main')!.target;
    // Frozen first, so all three wait in the queue where the panel can show their places; batches of 3.
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: true, batchSize: 3 } }, 'test');
    const first = openPr('alpha');
    const second = openPr('bravo');
    const third = openPr('charlie');
    const panel = page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');

    for (const [id, position] of [[first, '1'], [second, '2'], [third, '3']] as const) {
      await page.goto(`${stack.sandboxUrl}/acme/web/pull-requests/${id}?as=bob`);
      const place = panel.getByTestId('merge-queue-place');
      await place.waitFor({ timeout: 15_000 });
      expect(await place.getAttribute('data-queued')).toBe('false');
      await panel.getByTestId('merge-queue-join').click();
      await panel.locator(`[data-testid="merge-queue-place"][data-position="${position}"]`).waitFor({ timeout: 20_000 });
      expect(await panel.getByTestId('merge-queue-headline').innerText()).toContain(`Position ${position} of ${position} in the main queue`);
      expect(await panel.getByTestId('merge-queue-detail').innerText()).toContain('main is frozen');
      // How the queue will merge it: the effective policy (default merge_commit; closing as the PR asks, here: kept).
      const landing = panel.getByTestId('merge-queue-landing');
      expect(await landing.getAttribute('data-strategy')).toBe('merge_commit');
      expect(await landing.innerText()).toContain("Strategy merge_commit (a merge commit per PR); this PR's source branch is kept once it lands (as the PR asks)");
    }

    // The repository dashboard lists the queue in order.
    await page.goto(`${stack.sandboxUrl}/acme/web/addon/${stack.installation.key}/bosun-repo-dashboard?as=bob`);
    const dashboard = page.frameLocator('[data-testid="connect-iframe-bosun-repo-dashboard"]');
    await dashboard.locator('[data-testid="branch-queue"][data-branch="main"]').waitFor({ timeout: 15_000 });
    const rows = () => dashboard.getByTestId('branch-queue-entry').evaluateAll((els) => els.map((r) => [r.getAttribute('data-pr'), r.getAttribute('data-state')]));
    expect(await rows()).toEqual([[String(first), 'waiting'], [String(second), 'waiting'], [String(third), 'waiting']]);
    const etas = () => dashboard.getByTestId('branch-queue-entry').allInnerTexts();
    expect(await etas()).toEqual([0, 1, 2].map(() => expect.stringContaining('no ETA while frozen')));
    // Where the queue's settings would be looked for: its strategy and source-branch closing, and the policy fields that set them.
    const landing = dashboard.locator('[data-testid="branch-queue"][data-branch="main"] [data-testid="branch-queue-landing"]');
    expect(await landing.getAttribute('data-strategy')).toBe('merge_commit');
    expect(await landing.innerText()).toContain("mergeQueue.strategy");

    const before = mainHead();
    await views.configure(tenant, { repository: 'acme/web', branch: 'main', settings: { frozen: false } }, 'test');
    // The dashboard updates as the queue moves: all three go into one batch, testing (CI takes 8 s, the view refreshes every 3 s).
    await expect.poll(rows, { timeout: 20_000, interval: 250 }).toEqual([[String(first), 'testing'], [String(second), 'testing'], [String(third), 'testing']]);
    // Thawed, each row has an ETA (one batch cycle away: 30 minutes before any batch has merged here).
    expect(await etas()).toEqual([0, 1, 2].map(() => expect.stringMatching(/ETA \d\d:\d\d UTC/)));
    // Meanwhile the panel of the middle PR names its batch and the PRs tested with it.
    await page.goto(`${stack.sandboxUrl}/acme/web/pull-requests/${second}?as=bob`);
    await panel.getByTestId('merge-queue-detail').waitFor({ timeout: 15_000 });
    expect(await panel.getByTestId('merge-queue-detail').innerText()).toMatch(new RegExp(`^Being tested with #${first}, #${third} \\(batch b\\d+, (testing|passed|landing)\\)`));
    await expect.poll(() => [prState(first), prState(second), prState(third)], { timeout: 30_000, interval: 200 }).toEqual(['MERGED', 'MERGED', 'MERGED']);

    // One batch was tested and it is what main now is: the three landed together, in queue order.
    // CI ran on the batch's head only, since the merges before the last carry [skip ci] (creating the
    // branch at main's head is a push too, and may start a run on that commit).
    expect(ci!.tested.filter((t) => t.commit !== before)).toEqual([{ branch: expect.stringMatching(/^bosun-queue\/main\//), commit: mainHead(), passed: true }]);
    const tree = stack.sandbox.state.commits.find((c) => c.hash === mainHead())!.tree;
    expect(Object.keys(tree)).toEqual(expect.arrayContaining(['alpha.txt', 'bravo.txt', 'charlie.txt']));
    // main's history since the batch: the three merged into the queue branch in queue order, then fast-forwarded.
    const merged: string[] = [];
    for (let c = stack.sandbox.state.commits.find((x) => x.hash === mainHead()); c && c.hash !== before; c = stack.sandbox.state.commits.find((x) => x.hash === c!.parents[0])) {
      const m = /^Merged in feature\/(\w+)/.exec(c.message);
      if (m) merged.unshift(m[1]!);
    }
    expect(merged).toEqual(['alpha', 'bravo', 'charlie']);

    await panel.getByTestId('merge-queue-headline').filter({ hasText: 'Merged by the main queue.' }).waitFor({ timeout: 15_000 });
    // The dashboard empties and counts the batch: 3 merged, one run for three PRs, every batch green.
    await page.goto(`${stack.sandboxUrl}/acme/web/addon/${stack.installation.key}/bosun-repo-dashboard?as=bob`);
    await dashboard.locator('[data-testid="branch-queue"][data-branch="main"]').waitFor({ timeout: 15_000 });
    expect(await dashboard.getByTestId('branch-queue-entry').count()).toBe(0);
    const analytics = await dashboard.getByTestId('branch-queue-analytics').innerText();
    expect(analytics).toContain('3 merged in the last hour');
    expect(analytics).toContain('CI runs per merged PR 0.33');
    expect(analytics).toContain('batch success 100%');
    // The same analytics through the API the dashboard reads.
    const api = await callApi(stack, sessionFor(stack, 'bob', 'repo-dashboard'), 'GET', `/api/repo-dashboard/queues?repoUuid=${encodeURIComponent(web.uuid)}`);
    expect(api.status).toBe(200);
    const main = (api.json.queues as Array<{ branch: string; analytics: Record<string, number | null> }>).find((q) => q.branch === 'main')!;
    expect(main.analytics).toMatchObject({ mergesLastHour: 3, ciRunsPerMergedPr: 1 / 3, batchSuccessRate: 1 });
    expect(main.analytics.timeInQueueP50Ms).toBeGreaterThan(0);
    expect(main.analytics.timeInQueueP95Ms).toBeGreaterThanOrEqual(main.analytics.timeInQueueP50Ms!);
  }, 120_000);
});
