import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

/** Issue 14, branch hygiene: Ask Bosun on the repository dashboard lists stale branches and deletes the chosen ones once confirmed. */
describe('branch hygiene from the repository dashboard', () => {
  const env = useBrowserStack({
    height: 1400,
    prepare: async (stack) => {
      const ref = { workspace: 'acme', repo: 'hygiene' };
      stack.sandbox.actions.createRepository({ ...ref, slug: 'hygiene', actor: 'alice' });
      for (const branch of ['spike/old', 'spike/older']) {
        const commit = stack.sandbox.actions.pushCommit({ ...ref, branch, actor: 'alice', message: `Idea on ${branch}` });
        stack.sandbox.state.commits.find((c) => c.hash === commit.hash)!.date = '2020-01-01T00:00:00.000Z';
      }
      stack.sandbox.actions.pushCommit({ ...ref, branch: 'feature/fresh', actor: 'alice', message: 'Fresh' });
      await stack.sandbox.idle();
    },
  });
  const frame = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-repo-dashboard"]');
  const branches = () => {
    const repo = env.stack.sandbox.state.repositories.find((r) => r.slug === 'hygiene')!;
    return env.stack.sandbox.state.branches.filter((b) => b.repoUuid === repo.uuid).map((b) => b.name).sort();
  };
  const ask = async (text: string) => {
    await frame().getByTestId('ask-input').fill(text);
    await frame().getByTestId('ask-submit').click();
  };

  it('lists the stale branches, and deletes the two chosen only after confirmation, with an audit entry', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/hygiene/addon/${env.stack.installation.key}/bosun-repo-dashboard?as=alice`);
    await frame().getByTestId('ask-input').waitFor({ timeout: 15_000 });
    await ask('list stale branches');
    await frame().locator('[data-testid="plan-result"][data-outcome="succeeded"]').waitFor({ timeout: 20_000 });
    const listed = await frame().getByTestId('plan-result').innerText();
    expect(listed).toContain('acme/hygiene: 2 branches to clean up');
    expect(listed).toContain('spike/old (no commit since 2020-01-01)');
    expect(listed).not.toContain('feature/fresh');

    await ask('delete branches spike/old and spike/older');
    await frame().getByTestId('plan-preview').waitFor({ timeout: 15_000 });
    expect(await frame().getByTestId('plan-step').getAttribute('data-tool')).toBe('branch.deleteMany');
    expect(await frame().getByTestId('plan-step').getAttribute('data-risk')).toBe('destructive');
    // Nothing deleted before the confirmation.
    expect(branches()).toEqual(['feature/fresh', 'main', 'spike/old', 'spike/older']);
    await frame().getByTestId('plan-confirm').click();
    await frame().locator('[data-testid="plan-result"][data-outcome="succeeded"]').waitFor({ timeout: 20_000 });
    expect(branches()).toEqual(['feature/fresh', 'main']);
    const audit = await env.stack.bosun.services.automation.audit.list(env.stack.installation.clientKey, {});
    const alice = env.stack.sandbox.state.users.find((u) => u.nickname === 'alice')!;
    expect(audit.entries.filter((e) => e.tools.includes('branch.deleteMany'))).toMatchObject([{ outcome: 'succeeded', actor: { userUuid: alice.uuid } }]);
  }, 60_000);
});
