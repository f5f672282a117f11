import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

/** The dashboard shows what the mirror knows beside the PRs: the target branch's head and restrictions, the default reviewers. */
describe('repository facts on the dashboard page', () => {
  const env = useBrowserStack({
    worker: false,
    prepare: async (stack) => {
      const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
      const dave = stack.sandbox.state.users.find((u) => u.nickname === 'dave')!;
      stack.sandbox.state.defaultReviewers.push({ repoUuid: web.uuid, userUuid: dave.uuid });
      stack.sandbox.state.branchRestrictions.push({ repoUuid: web.uuid, id: 8001, kind: 'require_passing_builds_to_merge', branchMatchKind: 'glob', pattern: 'main', branchType: null, value: 1, userUuids: [], groupSlugs: [] });
      // The initial sync, then the sweeps that list the facts (two repositories each).
      const { queue } = stack.bosun.services.automation;
      for (const type of ['mirror.sync', 'mirror.sweep', 'mirror.sweep', 'mirror.sweep']) {
        await queue.enqueue({ clientKey: stack.installation.clientKey, type, payload: {} });
        await stack.bosun.services.automation.createWorker().drain();
      }
    },
  });

  it('lists the target branch with its head and restriction, and the default reviewers', async () => {
    const { stack } = env;
    await env.page.goto(`${stack.sandboxUrl}/acme/web/addon/${stack.installation.key}/bosun-repo-dashboard`);
    const frame = env.page.frameLocator(`[data-testid="connect-iframe-bosun-repo-dashboard"]`);
    const main = frame.locator('[data-testid="target-branch"][data-branch="main"]');
    await main.waitFor({ timeout: 15_000 });
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const head = stack.sandbox.state.branches.find((b) => b.repoUuid === web.uuid && b.name === 'main')!.target;
    expect(await main.locator('[data-testid="target-branch-head"]').textContent()).toBe(head.slice(0, 12));
    expect(await main.locator('[data-testid="target-branch-restrictions"]').textContent()).toContain('require_passing_builds_to_merge');
    expect(await frame.locator('[data-testid="default-reviewers"]').textContent()).toContain(stack.sandbox.state.users.find((u) => u.nickname === 'dave')!.displayName);
  });
});
