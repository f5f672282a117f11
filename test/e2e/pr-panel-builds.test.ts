import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useBrowserStack } from '../helpers/browser-stack';
import type { RunningStack } from '../helpers/start-stack';
import { readCiFixture } from '../server/ci/ci-fixtures';

const BRANCH = 'feature/login-form';

/**
 * A run of the PR's source branch that the sandbox fails the first time only (SANDBOX_FLAKY: a re-run, which copies
 * the variables, passes) or holds running (SANDBOX_HOLD).
 */
function startRun(stack: RunningStack, variable: 'SANDBOX_FLAKY' | 'SANDBOX_HOLD') {
  return stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: BRANCH, variables: [{ key: variable, value: 'true' }] });
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Builds in the PR panel', () => {
  let failed = 0;
  const env = useBrowserStack({
    sandbox: { pipelineStepMs: 150 },
    prepare: async (stack) => {
      // The seeded external E2E check finishes green, so only the failed pipeline keeps the PR red.
      const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
      const pr = stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === 1)!;
      stack.sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit: pr.source.hash, actor: 'bob', key: 'e2e', state: 'SUCCESSFUL', description: 'Passed' });
      const run = startRun(stack, 'SANDBOX_FLAKY');
      await waitFor(() => run.result === 'FAILED', 'the failed run');
      failed = run.buildNumber;
      await stack.sandbox.idle();
    },
  });
  const panel = () => env.page.frameLocator('[data-testid="connect-iframe-bosun-pr-panel"]');
  const row = (buildNumber: number) => panel().locator(`[data-testid="build-status"][data-pipeline="${buildNumber}"]`);
  const runsOfBranch = () => env.stack.sandbox.state.pipelines.filter((p) => p.refName === BRANCH);
  const overall = () => panel().locator('[data-testid="aggregate-state"]').getAttribute('data-state');

  it('lists Pipelines and other CIs on the head commit; Re-run of a failed run starts a new run that turns green', async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/1`);
    await panel().locator('[data-testid="build-list"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => row(failed).getAttribute('data-state'), { timeout: 10_000 }).toBe('FAILED');
    // The seeded external CI statuses sit beside it, labelled by their host, with no Pipelines controls.
    const external = panel().locator('[data-testid="build-status"][data-key="build"]');
    expect(await external.locator('[data-testid="build-source"]').textContent()).toBe('ci.acme.test');
    expect(await external.locator('[data-testid="build-rerun"]').count()).toBe(0);
    expect(await row(failed).locator('[data-testid="build-source"]').textContent()).toBe('Pipelines');
    expect(await overall()).toBe('FAILED');

    // The failed step's log, one click away.
    await row(failed).locator('[data-testid="build-log"]').click();
    await expect.poll(() => row(failed).locator('[data-testid="build-log-text"]').textContent(), { timeout: 10_000 }).toContain('Command failed: exit status 1');

    const before = runsOfBranch().length;
    await row(failed).locator('[data-testid="build-rerun"]').click();
    await expect.poll(() => runsOfBranch().length, { timeout: 10_000 }).toBe(before + 1);
    const rerun = runsOfBranch().sort((a, b) => b.buildNumber - a.buildNumber)[0]!;
    // The same commit, pipeline and variables as the failed run.
    const original = runsOfBranch().find((p) => p.buildNumber === failed)!;
    expect(rerun.commitHash).toBe(original.commitHash);
    expect(rerun.selector).toEqual(original.selector);
    expect(rerun.variables).toEqual(original.variables);
    expect(await panel().locator('[data-testid="build-action-result"]').textContent()).toContain(`Started pipeline #${rerun.buildNumber}`);
    // The panel follows the new run until it finishes.
    await expect.poll(() => row(rerun.buildNumber).getAttribute('data-state'), { timeout: 20_000 }).toBe('SUCCESSFUL');
    // Pipelines keys a run's status by its branch: the re-run's status replaced the failed run's, and the PR is green.
    expect(await row(failed).count()).toBe(0);
    await expect.poll(overall, { timeout: 10_000 }).toBe('SUCCESSFUL');
    // One audit entry for the click, as the viewer, through the executor.
    const audit = await env.stack.bosun.services.db.models.AuditEntry.findAll({ where: { clientKey: env.stack.installation.clientKey } });
    const reruns = audit.filter((a) => a.tools.includes('|pipeline.rerun|'));
    expect(reruns).toHaveLength(1);
    expect(reruns[0]!.outcome).toBe('succeeded');

    // The repository dashboard shows the PR's overall build state green too.
    const dashboard = env.page.frameLocator('[data-testid="connect-iframe-bosun-repo-dashboard"]');
    const prRow = dashboard.locator('[data-testid="pull-requests--row-pr-1"]');
    await expect
      .poll(async () => {
        await env.page.goto(`${env.stack.sandboxUrl}/acme/web/addon/${env.stack.installation.key}/bosun-repo-dashboard`);
        await dashboard.locator('[data-testid="pull-requests--table"]').waitFor({ timeout: 15_000 });
        return (await prRow.count()) ? prRow.textContent() : 'not on the first page';
      }, { timeout: 20_000, interval: 500 })
      .toContain('Passed');
  });

  it('Stop asks first, then stops a running run', async () => {
    const held = startRun(env.stack, 'SANDBOX_HOLD');
    await waitFor(() => held.state === 'IN_PROGRESS', 'the held run');
    await env.stack.sandbox.idle();
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/1`);
    await panel().locator('[data-testid="build-list"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => row(held.buildNumber).getAttribute('data-state'), { timeout: 10_000 }).toBe('INPROGRESS');
    await row(held.buildNumber).locator('[data-testid="build-stop"]').click();
    await row(held.buildNumber).locator('[data-testid="build-stop-cancel"]').click();
    expect(held.state).toBe('IN_PROGRESS');
    await row(held.buildNumber).locator('[data-testid="build-stop"]').click();
    await row(held.buildNumber).locator('[data-testid="build-stop-confirm"]').click();
    await expect.poll(() => held.result, { timeout: 10_000 }).toBe('STOPPED');
    await expect.poll(() => row(held.buildNumber).getAttribute('data-state'), { timeout: 10_000 }).toBe('STOPPED');
    expect(await row(held.buildNumber).locator('[data-testid="build-rerun"]').count()).toBe(1);
  });

  it("a GitHub Actions and a Jenkins build posted to Bosun's CI endpoint show on PR #2's commit and in its panel beside its Pipelines run", async () => {
    const stack = env.stack;
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const pr = stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === 2)!;
    const FIXTURE_COMMIT = '8d3f1c2b7a6e5d4c3b2a19f8e7d6c5b4a3928170';
    const create = (provider: 'github-actions' | 'jenkins') =>
      stack.bosun.services.deps.ciIntegrations!.create({ clientKey: stack.installation.clientKey, provider, name: provider, repository: 'acme/web', createdBy: 'test' });
    const gha = await create('github-actions');
    const ghaBody = readCiFixture('github-actions/workflow-run-completed-failure.json').replaceAll(FIXTURE_COMMIT, pr.source.hash);
    const ghaSignature = `sha256=${createHmac('sha256', gha.secret).update(ghaBody).digest('hex')}`;
    const ghaRes = await fetch(`${stack.bosun.url}/ci/github-actions/${gha.integration.id}`, {
      method: 'POST', body: ghaBody, headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-hub-signature-256': ghaSignature },
    });
    expect(ghaRes.status).toBe(202);
    const jenkins = await create('jenkins');
    const jenkinsBody = readCiFixture('jenkins/started.json').replaceAll(FIXTURE_COMMIT, pr.source.hash);
    const jenkinsRes = await fetch(`${stack.bosun.url}/ci/jenkins/${jenkins.integration.id}`, {
      method: 'POST', body: jenkinsBody, headers: { 'content-type': 'application/json', authorization: `Bearer ${jenkins.secret}` },
    });
    expect(jenkinsRes.status).toBe(202);
    const run = stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: pr.source.branch });
    await waitFor(() => run.result === 'SUCCESSFUL', 'the Pipelines run');

    // On the commit in Bitbucket, as the worker reported them (ci.report, as the installation).
    const onCommit = () => stack.sandbox.state.statuses.filter((s) => s.commitHash === pr.source.hash).map((s) => [new URL(s.url).hostname, s.state]).sort();
    const sandboxHost = new URL(stack.sandboxUrl).hostname;
    // The seed's own failed build (ci.acme.test) sits beside them.
    await expect.poll(onCommit, { timeout: 15_000 }).toEqual([['ci.acme.test', 'FAILED'], [sandboxHost, 'SUCCESSFUL'], ['github.com', 'FAILED'], ['jenkins.example.com', 'INPROGRESS']].sort());

    // In the panel: each with its state and source; only the Pipelines run has Pipelines controls.
    await env.page.goto(`${stack.sandboxUrl}/acme/web/pull-requests/2`);
    await panel().locator('[data-testid="build-list"]').waitFor({ timeout: 15_000 });
    const shown = async () =>
      (await panel().locator('[data-testid="build-status"]').evaluateAll((rows) =>
        rows.map((r) => [r.querySelector('[data-testid="build-source"]')?.textContent ?? '', r.getAttribute('data-state') ?? '']),
      )).sort();
    await expect.poll(shown, { timeout: 15_000 }).toEqual([['Pipelines', 'SUCCESSFUL'], ['ci.acme.test', 'FAILED'], ['github.com', 'FAILED'], ['jenkins.example.com', 'INPROGRESS']].sort());
    expect(await row(run.buildNumber).locator('[data-testid="build-rerun"]').count()).toBe(1);
    expect(await panel().locator('[data-testid="build-status"]:not([data-pipeline]) [data-testid="build-rerun"]').count()).toBe(0);
    expect(await overall()).toBe('FAILED');
  });

  it("Run pipeline starts a custom pipeline with variables on the PR's source branch, says what it will run first, and the new run appears in the list", async () => {
    await env.page.goto(`${env.stack.sandboxUrl}/acme/web/pull-requests/1`);
    await panel().locator('[data-testid="build-list"]').waitFor({ timeout: 15_000 });
    await panel().locator('[data-testid="build-run-open"]').click();
    const form = panel().locator('[data-testid="build-run-form"]');
    // The PR's source branch by default.
    expect(await form.locator('[data-testid="build-run-branch"]').inputValue()).toBe(BRANCH);
    await form.locator('[data-testid="build-run-custom"]').fill('deploy');
    // A malformed variable is named, and nothing can be sent.
    await form.locator('[data-testid="build-run-variables"]').fill('TARGET');
    expect(await form.locator('[data-testid="build-run-plan"]').textContent()).toBe('"TARGET" is not KEY=value.');
    expect(await form.locator('[data-testid="build-run-confirm"]').isDisabled()).toBe(true);
    await form.locator('[data-testid="build-run-variables"]').fill('TARGET=staging, DRY_RUN=false');
    expect(await form.locator('[data-testid="build-run-plan"]').textContent()).toBe(`Run the custom pipeline deploy on ${BRANCH} with TARGET, DRY_RUN.`);

    const before = new Set(runsOfBranch().map((p) => p.buildNumber));
    await form.locator('[data-testid="build-run-confirm"]').click();
    await expect.poll(() => runsOfBranch().filter((p) => !before.has(p.buildNumber)).length, { timeout: 10_000 }).toBe(1);
    const started = runsOfBranch().find((p) => !before.has(p.buildNumber))!;
    expect(started.selector).toEqual({ type: 'custom', pattern: 'deploy' });
    expect(started.variables.map((v) => [v.key, v.value])).toEqual([['TARGET', 'staging'], ['DRY_RUN', 'false']]);
    await expect.poll(() => panel().locator('[data-testid="build-action-result"]').textContent(), { timeout: 10_000 }).toContain(`Started pipeline #${started.buildNumber} on ${BRANCH}`);
    expect(await form.count()).toBe(0);
    // The panel follows the new run into its list until it finishes.
    await expect.poll(() => row(started.buildNumber).getAttribute('data-state'), { timeout: 20_000 }).toBe('SUCCESSFUL');
    // One audit entry for the click, through the executor.
    const audit = await env.stack.bosun.services.db.models.AuditEntry.findAll({ where: { clientKey: env.stack.installation.clientKey } });
    const triggers = audit.filter((a) => a.tools.includes('|pipeline.trigger|'));
    expect(triggers).toHaveLength(1);
    expect(triggers[0]!.outcome).toBe('succeeded');
  });
});
