import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';

/**
 * Issue 10 for the merge queue's views: the PR panel's queue view (polled every 3 s while queued) and the dashboard's
 * queues read the PR and the repository from the mirror, Bitbucket only for a PR it does not know yet; and a branch's
 * bosun.yml that does not answer never fails them (counted with the sandbox's request counter).
 */
describe.each(testDatabaseKinds())('merge queue views over the mirror (%s)', (kind) => {
  let stack: RunningStack;
  let offsetMs = 0;
  beforeAll(async () => {
    stack = await startStack({ database: kind, worker: false, now: () => new Date(Date.now() + offsetMs) });
    // The install queued the mirror's initial sync: run it, so the mirror knows the repositories and their open PRs.
    await stack.bosun.services.automation.createWorker().drain();
    const admin = await callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), 'POST', '/api/admin/merge-queues', { repository: 'acme/web', branch: 'main', settings: { batchSize: 2 } });
    expect(admin.status).toBe(200);
  });
  afterAll(async () => stack.close());

  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const placeOf = (prId: number) => callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'GET', `/api/pr-panel/queue?repoUuid=${encodeURIComponent(web().uuid)}&prId=${prId}`);
  const dashboard = () => callApi(stack, sessionFor(stack, 'bob', 'repo-dashboard'), 'GET', `/api/repo-dashboard/queues?repoUuid=${encodeURIComponent(web().uuid)}`);
  const costOf = async <T>(run: () => Promise<T>): Promise<{ spent: number; value: T }> => {
    const before = stack.sandbox.requests.total();
    const value = await run();
    return { spent: stack.sandbox.requests.total() - before, value };
  };

  it('warm mirror: the first load costs the branch\'s bosun.yml only, then N polls and a dashboard load cost 0 requests', async () => {
    const first = await costOf(() => placeOf(1));
    expect(first.value.status).toBe(200);
    expect(first.value.json).toMatchObject({ repository: 'acme/web', branch: 'main', pullRequestId: 1, canQueue: true, landing: { strategy: 'merge_commit', closeSourceBranch: null } });
    // The PR and the repository from the mirror: the one request is the landing policy's bosun.yml (then reused 30 s).
    expect(first.spent).toBe(1);
    const polls = await costOf(async () => {
      for (let i = 0; i < 5; i++) expect((await placeOf(1)).json).toEqual(first.value.json);
    });
    expect(polls.spent).toBe(0);
    const board = await costOf(dashboard);
    expect(board.value.status).toBe(200);
    expect(board.value.json.repository).toBe('acme/web');
    expect(board.value.json.queues.map((q: { branch: string; landing: unknown }) => [q.branch, q.landing])).toEqual([['main', { strategy: 'merge_commit', closeSourceBranch: null }]]);
    expect(board.spent).toBe(0);
  });

  it('a PR the mirror does not know is read live once, then from the mirror', async () => {
    const { MirrorPullRequest } = stack.bosun.services.db.models;
    const removed = await MirrorPullRequest.destroy({ where: { clientKey: stack.installation.clientKey, repositoryUuid: web().uuid, id: 2 } });
    expect(removed).toBe(1);
    const cold = await costOf(() => placeOf(2));
    expect(cold.value.status).toBe(200);
    expect(cold.value.json).toMatchObject({ repository: 'acme/web', pullRequestId: 2 });
    expect(cold.spent).toBe(1);
    expect(await MirrorPullRequest.count({ where: { clientKey: stack.installation.clientKey, repositoryUuid: web().uuid, id: 2 } })).toBe(1);
    const warm = await costOf(() => placeOf(2));
    expect(warm.value.json).toEqual(cold.value.json);
    expect(warm.spent).toBe(0);
  });

  it('bosun.yml answering 503: a 200 view with the last value read, else landing null; read again once it answers', async () => {
    const fault = stack.sandbox.faults.add({ method: 'GET', pathPattern: '/2.0/repositories/*/web/src/**', status: 503 });
    try {
      // Past the reuse: the reading fails, the views keep what was last read.
      offsetMs += 31_000;
      const kept = await placeOf(1);
      expect(kept.status).toBe(200);
      expect(kept.json.landing).toEqual({ strategy: 'merge_commit', closeSourceBranch: null, sourceBranchClosed: false });
      // Nothing read for long (the last value is kept 10 minutes at most): landing null, the views answer anyway.
      offsetMs += 11 * 60_000;
      const unknown = await placeOf(1);
      expect(unknown.status).toBe(200);
      expect(unknown.json).toMatchObject({ repository: 'acme/web', branch: 'main', pullRequestId: 1, landing: null });
      const board = await dashboard();
      expect(board.status).toBe(200);
      expect(board.json.queues[0]).toMatchObject({ branch: 'main', landing: null });
      // The failure is not read again on every poll.
      expect((await costOf(() => placeOf(1))).spent).toBe(0);
    } finally {
      stack.sandbox.faults.remove(fault.id);
    }
    offsetMs += 11_000;
    expect((await placeOf(1)).json.landing).toEqual({ strategy: 'merge_commit', closeSourceBranch: null, sourceBranchClosed: false });
  });
});
