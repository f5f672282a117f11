import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRuleServices } from '../../server/create-rule-services';
import { RULES_STALE_JOB } from '../../server/create-rule-automations';
import { createLogger } from '../../server/log';
import { createSqlPolicyStore } from '../../server/storage/sql-policy-store';
import { useBrowserStack } from '../helpers/browser-stack';

describe('bot pull requests and stale reminders by rule, switched on in admin settings', () => {
  const env = useBrowserStack();
  const admin = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');

  it('an admin switches the bot PR rule on; a pushed release branch gets one PR with the templated title, and a second push none', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    await admin().locator('[data-testid="policy-text"]').waitFor({ timeout: 15_000 });
    await admin().locator('[data-testid="policy-text"]').fill(JSON.stringify({ botPullRequests: { rules: [{ branches: 'release/*', target: 'main', title: 'Release {{branch.name}}' }] } }));
    await admin().locator('[data-testid="policy-mode-botPullRequests"]').selectOption('on');
    await admin().locator('[data-testid="policy-save"]').click();
    await expect.poll(async () => admin().locator('[data-testid="policy-saved"]').textContent()).toBe('Saved (version 1).');

    const a = env.stack.sandbox.actions;
    const repoUuid = env.stack.sandbox.state.repositories.find((r) => r.slug === 'web')!.uuid;
    const opened = () => env.stack.sandbox.state.pullRequests.filter((p) => p.repoUuid === repoUuid && p.source.branch === 'release/3.1');
    a.pushCommit({ workspace: 'acme', repo: 'web', branch: 'release/3.1', actor: 'bob', message: 'Cut 3.1' });
    await expect.poll(() => opened().length, { timeout: 20_000 }).toBe(1);
    expect(opened()[0]).toMatchObject({ title: 'Release 3.1', state: 'OPEN', destination: expect.objectContaining({ branch: 'main' }) });

    a.pushCommit({ workspace: 'acme', repo: 'web', branch: 'release/3.1', actor: 'bob', message: 'Fix 3.1' });
    // Both pushes' rules jobs have run: never two PRs for the same source and target.
    await expect
      .poll(async () => (await env.stack.bosun.services.db.models.Job.count({ where: { clientKey: env.stack.installation.clientKey, type: 'rules.push', state: 'succeeded' } })), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    expect(opened()).toHaveLength(1);

    // The PR page shows it like any other.
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/${opened()[0]!.id}`);
    await expect.poll(async () => (await env.page.locator('body').innerText()).includes('Release 3.1'), { timeout: 15_000 }).toBe(true);
  });

  it('an admin switches the stale rule on; a PR left alone past its days gets the reminder on its page (the clock injected)', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    await admin().locator('[data-testid="policy-text"]').waitFor({ timeout: 15_000 });
    const text = JSON.parse(await admin().locator('[data-testid="policy-text"]').inputValue()) as Record<string, unknown>;
    await admin().locator('[data-testid="policy-text"]').fill(JSON.stringify({ ...text, stale: { remindAfterDays: 5 } }));
    await admin().locator('[data-testid="policy-mode-stale"]').selectOption('on');
    await admin().locator('[data-testid="policy-save"]').click();
    await expect.poll(async () => admin().locator('[data-testid="policy-saved"]').textContent()).toBe('Saved (version 2).');

    const a = env.stack.sandbox.actions;
    const branch = `feature/${randomBytes(3).toString('hex')}`;
    a.pushCommit({ workspace: 'acme', repo: 'web', branch, actor: 'bob', message: 'Old work' });
    const pr = a.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'Old work', sourceBranch: branch });
    // Six days on: the stale pass as the scheduler runs it, on Bosun's services with the clock moved.
    const { services } = env.stack.bosun;
    const sixDaysOn = new Date(Date.now() + 6 * 86_400_000);
    const rules = createRuleServices({
      policies: createSqlPolicyStore(services.db), tenants: services.deps.tenants, clients: services.deps.clients, deliveries: services.deps.deliveries,
      executor: () => services.automation.executor, logger: createLogger({ level: 'silent' }), now: () => sixDaysOn,
    });
    const clientKey = env.stack.installation.clientKey;
    await rules.handlers[RULES_STALE_JOB]!(
      { id: `stale-${branch}`, clientKey, type: RULES_STALE_JOB, payload: {}, attempts: 1, maxAttempts: 3, priority: -10, state: 'running', dedupeKey: null, runAt: sixDaysOn, lockedBy: null, leaseExpiresAt: null, lastError: null, createdAt: sixDaysOn, updatedAt: sixDaysOn, result: null },
      { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }), heartbeat: async () => {} },
    );

    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/${pr.id}`);
    await expect
      .poll(async () => (await env.page.locator('[data-testid="comment-body"]').allInnerTexts()).join(' | '), { timeout: 15_000 })
      .toMatch(/this pull request has had no activity for 5 days or more/);
    expect(env.stack.sandbox.state.pullRequests.find((p) => p.id === pr.id && p.source.branch === branch)!.state).toBe('OPEN');
  });
});
