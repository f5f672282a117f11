import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

describe('"Ask Bosun" in the PR panel: plan, confirm, run', () => {
  const env = useBrowserStack({ height: 1000 });

  const panel = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');
  const pr = (id: number) => {
    const web = env.stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    return env.stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === id)!;
  };

  it('shows the plan of a destructive request, runs it only after confirmation, and Bitbucket shows the result', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/3?as=alice`);
    await panel().getByTestId('ask-input').waitFor({ timeout: 15_000 });
    await panel().getByTestId('ask-input').fill('decline #3');
    await panel().getByTestId('ask-submit').click();
    await panel().getByTestId('plan-preview').waitFor({ timeout: 15_000 });
    const step = panel().getByTestId('plan-step');
    expect(await step.getAttribute('data-tool')).toBe('pullRequest.decline');
    expect(await step.getAttribute('data-risk')).toBe('destructive');
    expect(await panel().getByTestId('plan-confirmation-reasons').count()).toBe(1);
    // Nothing has run yet.
    expect(pr(3).state).toBe('OPEN');

    await panel().getByTestId('plan-confirm').click();
    await panel().locator('[data-testid="plan-result"][data-outcome="succeeded"]').waitFor({ timeout: 20_000 });
    expect(pr(3).state).toBe('DECLINED');
    const audit = await env.stack.bosun.services.automation.audit.list(env.stack.installation.clientKey, {});
    const alice = env.stack.sandbox.state.users.find((u) => u.nickname === 'alice')!;
    expect(audit.entries.filter((e) => e.tools.includes('pullRequest.decline'))).toMatchObject([{ outcome: 'succeeded', actor: { userUuid: alice.uuid } }]);
  });

  it('answers text it cannot plan with suggestions', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/2?as=alice`);
    await panel().getByTestId('ask-input').waitFor({ timeout: 15_000 });
    await panel().getByTestId('ask-input').fill('make me a sandwich');
    await panel().getByTestId('ask-submit').click();
    await panel().getByTestId('plan-refused').waitFor({ timeout: 15_000 });
    expect(await panel().getByTestId('plan-suggestion').count()).toBeGreaterThan(0);
  });

  it('asks back when a request is incomplete; clicking an answer plans it, and confirming does it in Bitbucket', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/2?as=alice`);
    await panel().getByTestId('ask-input').waitFor({ timeout: 15_000 });
    await panel().getByTestId('ask-input').fill('pls create branch e2e/clarified');
    await panel().getByTestId('ask-submit').click();
    await panel().getByTestId('plan-clarification').waitFor({ timeout: 15_000 });
    expect(await panel().getByTestId('plan-question').innerText()).toBe('Create e2e/clarified from which branch?');
    const choices = panel().getByTestId('plan-choice');
    expect(await choices.allInnerTexts()).toEqual([pr(2).source.branch, pr(2).destination.branch]);
    const web = env.stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const exists = () => env.stack.sandbox.state.branches.some((b) => b.repoUuid === web.uuid && b.name === 'e2e/clarified');
    expect(exists()).toBe(false);

    await choices.filter({ hasText: pr(2).destination.branch }).click();
    await panel().getByTestId('plan-preview').waitFor({ timeout: 15_000 });
    expect(await panel().getByTestId('plan-step').getAttribute('data-tool')).toBe('branch.create');
    expect(exists()).toBe(false);
    await panel().getByTestId('plan-confirm').click();
    await panel().locator('[data-testid="plan-result"][data-outcome="succeeded"]').waitFor({ timeout: 20_000 });
    const branch = env.stack.sandbox.state.branches.find((b) => b.repoUuid === web.uuid && b.name === 'e2e/clarified');
    expect(branch?.target).toBe(env.stack.sandbox.state.branches.find((b) => b.repoUuid === web.uuid && b.name === pr(2).destination.branch)?.target);
    // Four page round trips, each with its own wait: the test's bound is their sum, not the suite default.
  }, 75_000);

  it('answers a question straight away, without a confirmation step', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/2?as=alice`);
    await panel().getByTestId('ask-input').waitFor({ timeout: 15_000 });
    await panel().getByTestId('ask-input').fill("what's blocking this PR?");
    await panel().getByTestId('ask-submit').click();
    await panel().locator('[data-testid="plan-result"][data-outcome="succeeded"]').waitFor({ timeout: 20_000 });
    expect(await panel().getByTestId('plan-preview').count()).toBe(0);
    expect(await panel().getByTestId('plan-result').innerText()).toContain('Pull request #2 is');
  }, 40_000);

  it('the audit log in admin settings lists what was done', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    const frame = env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');
    await frame.getByTestId('audit-row').first().waitFor({ timeout: 15_000 });
    expect(await frame.getByTestId('audit-table--table').innerText()).toContain('Decline');
    await frame.getByTestId('audit-filter-outcome').selectOption('failed');
    await frame.getByTestId('audit-empty').waitFor({ timeout: 10_000 });
  });
});
