import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';

/** GET /api/workspace against a synced mirror: every repository, the PR counts the sandbox holds, and no Bitbucket call. */
describe.each(testDatabaseKinds())('workspace page API (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind, worker: false });
    const { sandbox } = stack;
    sandbox.actions.createRepository({ workspace: 'acme', slug: 'svc-a', actor: 'alice', isPrivate: false });
    // One failing and one green head on web, so the counts have something to count.
    const web = sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const open = sandbox.state.pullRequests.filter((p) => p.repoUuid === web.uuid && p.state === 'OPEN');
    sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit: open[0]!.source.hash, actor: 'alice', key: 'ci-red', state: 'FAILED', url: 'https://ci.example.com/1', refname: open[0]!.source.branch });
    await sandbox.idle();
    await stack.bosun.services.scheduler.tick();
    const worker = stack.bosun.services.automation.createWorker();
    await worker.drain();
    // The status backfill runs a little per period: enough periods for the seed.
    for (let i = 0; i < 3; i++) {
      await stack.bosun.services.automation.queue.enqueue({ clientKey: stack.installation.clientKey, type: 'mirror.sync', payload: {}, dedupeKey: `test-backfill-${i}` });
      await worker.drain();
    }
  }, 60_000);
  afterAll(async () => stack?.close());

  const credential = () => `app:${stack.installation.clientKey}`;

  it('lists every repository with its open, failing and ready PRs from the mirror, without a Bitbucket call', async () => {
    const { state } = stack.sandbox;
    const alice = sessionFor(stack, 'alice', 'workspace');
    // The page is admin-only: the first call asks Bitbucket whether alice administers the workspace (then cached).
    expect((await callApi(stack, alice, 'GET', '/api/workspace')).status).toBe(200);
    stack.sandbox.requests.reset();
    const res = await callApi(stack, alice, 'GET', '/api/workspace');
    expect(res.status).toBe(200);
    expect(stack.sandbox.requests.get(credential()).total).toBe(0);
    const acme = state.repositories.filter((r) => state.workspaces.find((w) => w.uuid === r.workspaceUuid)?.slug === 'acme');
    expect(res.json.repositories.map((r: { fullName: string }) => r.fullName).sort()).toEqual(acme.map((r) => `acme/${r.slug}`).sort());
    for (const repo of acme) {
      const row = res.json.repositories.find((r: { fullName: string }) => r.fullName === `acme/${repo.slug}`);
      expect(row.openPullRequests, repo.slug).toBe(state.pullRequests.filter((p) => p.repoUuid === repo.uuid && p.state === 'OPEN').length);
    }
    const web = res.json.repositories.find((r: { fullName: string }) => r.fullName === 'acme/web');
    expect(web.failingBuilds).toBeGreaterThanOrEqual(1);
    expect(web.buildState).toBe('FAILED');
    expect(res.json.totals.repositories).toBe(acme.length);
    expect(res.json.freshness.source).toBe('mirror');
  });

  it('is read with a workspace page session only', async () => {
    expect((await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'GET', '/api/workspace')).status).toBe(401);
  });
});
