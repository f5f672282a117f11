/**
 * The repo dashboard's build column and the PR panel's Builds follow what a CI integration reports: a signed result
 * at POST /ci/generic/{id} becomes a status on the PR's head commit (ci.report, as the installation), Bitbucket's
 * commit-status webhook brings it into the mirror, and both views read it from there.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';

describe('CI integration results on the dashboard and the PR panel', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack();
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
});
