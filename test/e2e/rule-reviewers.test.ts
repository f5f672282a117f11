import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';

const CAROL = '{ca201000-0000-4000-8000-000000000003}';

describe('reviewer assignment by rule, set up in admin settings', () => {
  const env = useBrowserStack();
  const admin = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-admin-settings"]');
  const panel = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');

  it('an admin switches the reviewer rule on; a PR created in the sandbox gets its owner as reviewer, and the panel shows it', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    await admin().locator('[data-testid="policy-text"]').waitFor({ timeout: 15_000 });
    await admin().locator('[data-testid="policy-text"]').fill(JSON.stringify({ groups: { frontend: [CAROL] }, reviewers: { owners: [{ paths: ['src/ui/'], reviewers: ['group:frontend'] }], includeDefaultReviewers: false } }));
    await admin().locator('[data-testid="policy-mode-reviewers"]').selectOption('on');
    await admin().locator('[data-testid="policy-save"]').click();
    await expect.poll(async () => admin().locator('[data-testid="policy-saved"]').textContent()).toBe('Saved (version 1).');

    const a = env.stack.sandbox.actions;
    a.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/ui-rule', actor: 'bob', message: 'Button', files: { 'src/ui/button.ts': 'export const b = 1;\n' } });
    const pr = a.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'Button', sourceBranch: 'feature/ui-rule' });
    const repoUuid = env.stack.sandbox.state.repositories.find((r) => r.slug === 'web')!.uuid;
    await expect.poll(() => env.stack.sandbox.state.pullRequests.find((p) => p.repoUuid === repoUuid && p.id === pr.id)!.reviewerUuids, { timeout: 15_000 }).toEqual([CAROL]);

    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/${pr.id}`);
    await expect
      .poll(
        async () => {
          await panel().locator('[data-testid="reviewer"]').first().waitFor({ timeout: 5_000 }).catch(() => env.page.reload());
          return (await panel().locator('[data-testid="reviewer"]').allInnerTexts()).join(' | ');
        },
        { timeout: 30_000 },
      )
      .toMatch(/Carol/);
    // The panel says what the rule did.
    await expect.poll(async () => panel().locator('[data-testid="rule-activity-entry"][data-rule="reviewers"]').count(), { timeout: 15_000 }).toBe(1);
    expect(await panel().locator('[data-testid="rule-activity-entry"][data-rule="reviewers"]').getAttribute('data-dry-run')).toBe('false');
    expect(await panel().locator('[data-testid="rule-activity"]').innerText()).toMatch(/Added Carol Reviewer as reviewer/);
  });

  it('an admin previews and saves a repository override in admin settings', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/workspace/settings/addon/${env.stack.installation.key}/bosun-admin-settings`);
    const web = env.stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    await admin().locator('[data-testid="repo-policy-repo"]').waitFor({ timeout: 15_000 });
    await admin().locator('[data-testid="repo-policy-repo"]').selectOption(web.uuid);
    await admin().locator('[data-testid="repo-policy-text"]').fill('{"readiness": {"allowedTargetBranches": ["release/*"]}}');
    await admin().locator('[data-testid="repo-policy-preview"]').click();
    await admin().locator('[data-testid="repo-policy-preview-result"]').waitFor();
    const open = env.stack.sandbox.state.pullRequests.filter((p) => p.repoUuid === web.uuid && p.state === 'OPEN' && !p.destination.branch.startsWith('release/'));
    await expect.poll(() => admin().locator('[data-testid="repo-policy-preview-change"]').count()).toBe(open.length);
    expect(await env.stack.bosun.services.db.models.Policy.count({ where: { scope: web.uuid } })).toBe(0);
    await admin().locator('[data-testid="repo-policy-save"]').click();
    await expect.poll(async () => admin().locator('[data-testid="repo-policy-saved"]').textContent()).toBe('Saved the override of acme/web (version 1).');
    const row = await env.stack.bosun.services.db.models.Policy.findOne({ where: { clientKey: env.stack.installation.clientKey, scope: web.uuid } });
    expect(JSON.parse(row!.layer)).toEqual({ readiness: { allowedTargetBranches: ['release/*'] } });
    // An invalid override is refused with its problem named.
    await admin().locator('[data-testid="repo-policy-text"]').fill('{"stale": {"mode": "sometimes"}}');
    await admin().locator('[data-testid="repo-policy-save"]').click();
    await expect.poll(async () => (await admin().locator('[data-testid="admin-settings"]').innerText()).includes('stale.mode')).toBe(true);
  });
});
