import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';
import { createRulesStack, SEED_PEOPLE } from '../helpers/rules-stack';

describe('the PR panel’s Preview rules and Run rules', () => {
  const env = useBrowserStack();
  const rules = createRulesStack(() => env.stack);
  const panel = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');
  const reviewerRule = (mode: 'on' | 'dry-run') => ({
    groups: { frontend: [SEED_PEOPLE.carol] },
    reviewers: { mode, owners: [{ paths: ['src/ui/**'], reviewers: ['group:frontend'] }], includeDefaultReviewers: false },
    readiness: { mode: 'off' as const },
  });

  it('previews a dry-run rule without writing, then runs it once switched on: the reviewer is assigned and the panel says so', async () => {
    await rules.savePolicy(reviewerRule('dry-run'));
    const pr = rules.openPr('WEB-31 Sidebar', { 'src/ui/sidebar.ts': 'export const s = 1;\n' });
    // The creation's own run (a dry run) is over first, so the buttons are what acts next.
    await rules.rulesJobDone(pr.id, (job) => job.event === 'created');

    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/${pr.id}`);
    await panel().locator('[data-testid="rules-preview"]').click({ timeout: 20_000 });
    await expect
      .poll(async () => (await panel().locator('[data-testid="rules-preview-item"]').allInnerTexts()).join(' | '), { timeout: 15_000 })
      .toBe(`reviewers (in dry run, would only record): add ${SEED_PEOPLE.carol} as reviewer (owns src/ui/sidebar.ts (src/ui/**), group frontend)`);
    expect(rules.prNow(pr.id).reviewerUuids).toEqual([]);

    await rules.savePolicy(reviewerRule('on'));
    await panel().locator('[data-testid="rules-run"]').click();
    await expect.poll(async () => panel().locator('[data-testid="rules-run-message"]').textContent(), { timeout: 15_000 }).toMatch(/Running the automation rules on #\d+ now/);
    await expect.poll(() => rules.prNow(pr.id).reviewerUuids, { timeout: 15_000 }).toEqual([SEED_PEOPLE.carol]);
    // The panel follows the rules' job: its activity shows the assignment without a reload.
    await expect
      .poll(async () => panel().locator('[data-testid="rule-activity-entry"][data-rule="reviewers"][data-dry-run="false"]').count(), { timeout: 20_000 })
      .toBe(1);
    expect(await panel().locator('[data-testid="rule-activity"]').innerText()).toMatch(/Added Carol Reviewer as reviewer/);
    const previews = (await rules.auditFor('pullRequest.previewRules')).filter((e) => e.planSummary.includes(`#${pr.id}`));
    expect(previews.map((e) => `${e.source} ${e.outcome}`)).toEqual(['button succeeded']);
  });
});
