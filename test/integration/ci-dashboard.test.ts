/**
 * The repo dashboard's build column and the PR panel's Builds follow what a CI integration reports: a signed result
 * at POST /ci/generic/{id} becomes a status on the PR's head commit (ci.report, as the installation), Bitbucket's
 * commit-status webhook brings it into the mirror, and both views read it from there.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { toPipelineStatusKey } from '../../sandbox/pipelines/to-pipeline-status';
import { readCiFixture } from '../server/ci/ci-fixtures';

describe('CI integration results on the dashboard and the PR panel', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ sandbox: { pipelineStepMs: 50 } });
  }, 60_000);
  afterAll(async () => stack?.close());

  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const dashboardState = async (prId: number) => {
    const res = await callApi(stack, sessionFor(stack, 'bob', 'repo-dashboard'), 'GET', `/api/repo-dashboard?repoUuid=${encodeURIComponent(web().uuid)}`);
    expect(res.status).toBe(200);
    return (res.json.pullRequests as Array<{ id: number; buildState: string }>).find((p) => p.id === prId)?.buildState;
  };

  it('a PR with no build turns FAILED on the dashboard, then SUCCESSFUL, as the external CI reports', async () => {
    const { integration, secret } = await stack.bosun.services.deps.ciIntegrations!.create({
      clientKey: stack.installation.clientKey, provider: 'generic', name: 'Jenkins', repository: 'acme/web', createdBy: 'test',
    });
    const pr = stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web().uuid && p.id === 3)!;
    expect(await dashboardState(3)).toBe('NONE');
    const post = async (state: string) => {
      const body = JSON.stringify({ version: 1, commit: pr.source.hash, check: 'unit', state, url: 'https://jenkins.acme.test/job/web/7/', name: 'Unit tests' });
      const res = await fetch(`${stack.bosun.url}/ci/generic/${integration.id}`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'x-bosun-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
      });
      expect(res.status).toBe(202);
    };

    await post('failure');
    await expect.poll(() => dashboardState(3), { timeout: 15_000 }).toBe('FAILED');
    const panel = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'GET', `/api/pr-panel?repoUuid=${encodeURIComponent(web().uuid)}&prId=3`);
    expect(panel.json.statuses).toEqual([expect.objectContaining({ name: 'Unit tests', state: 'FAILED', url: 'https://jenkins.acme.test/job/web/7/' })]);
    expect(panel.json.buildState).toBe('FAILED');

    await post('success');
    await expect.poll(() => dashboardState(3), { timeout: 15_000 }).toBe('SUCCESSFUL');
  });

  it('a GitHub Actions, a Jenkins and a Pipelines build on one PR each show in the panel with their state and source', async () => {
    const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');
    const api = stack.sandbox.state.repositories.find((r) => r.slug === 'api')!;
    const pr = stack.sandbox.state.pullRequests.find((p) => p.repoUuid === api.uuid && p.id === 1)!;
    const create = (provider: 'github-actions' | 'jenkins') =>
      stack.bosun.services.deps.ciIntegrations!.create({ clientKey: stack.installation.clientKey, provider, name: provider, repository: 'acme/api', createdBy: 'test' });
    const FIXTURE_COMMIT = '8d3f1c2b7a6e5d4c3b2a19f8e7d6c5b4a3928170';

    const gha = await create('github-actions');
    const ghaBody = readCiFixture('github-actions/workflow-run-completed-failure.json').replaceAll(FIXTURE_COMMIT, pr.source.hash);
    const ghaRes = await fetch(`${stack.bosun.url}/ci/github-actions/${gha.integration.id}`, {
      method: 'POST', body: ghaBody, headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-hub-signature-256': `sha256=${sign(gha.secret, ghaBody)}` },
    });
    expect(ghaRes.status).toBe(202);
    const jenkins = await create('jenkins');
    const jenkinsBody = readCiFixture('jenkins/completed-unstable.json').replaceAll(FIXTURE_COMMIT, pr.source.hash);
    const jenkinsRes = await fetch(`${stack.bosun.url}/ci/jenkins/${jenkins.integration.id}`, {
      method: 'POST', body: jenkinsBody, headers: { 'content-type': 'application/json', authorization: `Bearer ${jenkins.secret}` },
    });
    expect(jenkinsRes.status).toBe(202);
    const run = stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'api', actor: 'bob', refName: pr.source.branch });
    await expect.poll(() => run.result, { timeout: 10_000 }).toBe('SUCCESSFUL');

    const panel = async () =>
      (await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'GET', `/api/pr-panel?repoUuid=${encodeURIComponent(api.uuid)}&prId=1`)).json as {
        statuses: Array<{ key: string; state: string; url: string }>;
        buildState: string;
      };
    const byHost = async () => Object.fromEntries((await panel()).statuses.map((s) => [new URL(s.url).hostname + new URL(s.url).pathname.split('/').slice(0, 4).join('/'), s.state]));
    await expect
      .poll(byHost, { timeout: 15_000 })
      .toMatchObject({ 'github.com/acme/widgets/actions': 'FAILED', 'jenkins.example.com/job/widgets-build/57': 'FAILED', [`${new URL(stack.sandboxUrl).hostname}/acme/api/addon`]: 'SUCCESSFUL' });
    const statuses = (await panel()).statuses;
    // Pipelines keys the run's status by its branch and links it the way its statuses do (sandbox/pipelines/to-pipeline-status.ts).
    expect(statuses.find((s) => s.key === toPipelineStatusKey(pr.source.branch))?.url).toMatch(new RegExp(`/acme/api/addon/pipelines/home#!/results/${run.buildNumber}$`));
    expect(statuses.filter((s) => s.state === 'FAILED').map((s) => new URL(s.url).hostname).sort()).toEqual(['github.com', new URL(JSON.parse(jenkinsBody).build.full_url as string).hostname].sort());
    expect((await panel()).buildState).toBe('FAILED');
  });
});
