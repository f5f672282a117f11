import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';

/** The queue's API: admin settings' routes for admins only (asked of Bitbucket), panel and dashboard reads per page. */
describe.each(testDatabaseKinds())('merge queue API (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind });
  });
  afterAll(async () => stack.close());

  const repo = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const admin = (nickname: string, method: string, body?: unknown) => callApi(stack, sessionFor(stack, nickname, 'admin-settings'), method, '/api/admin/merge-queues', body);

  it('only workspace admins list or change queues; a member’s change leaves nothing behind', async () => {
    for (const nickname of ['bob', 'erin']) {
      expect((await admin(nickname, 'GET')).status).toBe(403);
      const refused = await admin(nickname, 'POST', { repository: 'acme/web', branch: 'main', settings: { frozen: true } });
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe('NOT_WORKSPACE_ADMIN');
    }
    expect((await admin('alice', 'GET')).json).toEqual({ queues: [] });
    const frozen = await admin('alice', 'POST', { repository: 'acme/web', branch: 'main', settings: { frozen: true, lanes: ['hotfix', 'default'], batchSize: 4, depth: 3 } });
    expect(frozen.status).toBe(200);
    expect(frozen.json).toMatchObject({ repository: 'acme/web', branch: 'main', freeze: { frozen: true }, settings: { batchSize: 4, depth: 3, lanes: ['hotfix', 'default'] } });
    expect((await admin('alice', 'GET')).json.queues).toHaveLength(1);
  });

  it('refuses bad settings with a 400 naming the field, another workspace’s repository with a 422', async () => {
    const bad = await admin('alice', 'POST', { repository: 'acme/web', branch: 'main', settings: { batchSize: 0, lanes: ['a', 'a'] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('batchSize');
    const other = await admin('alice', 'POST', { repository: 'other/web', branch: 'main', settings: { frozen: true } });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('MERGE_QUEUE_CONFIGURATION');
  });

  it('the strategy is the policy\'s: a queue mergeStrategy is refused with a 400 pointing to the policy; squash in the policy is refused with why', async () => {
    for (const mergeStrategy of ['fast_forward', 'squash']) {
      const moved = await admin('alice', 'POST', { repository: 'acme/web', branch: 'main', settings: { mergeStrategy } });
      expect(moved.status).toBe(400);
      expect(JSON.stringify(moved.json)).toContain('set by the policy now: save mergeQueue.strategy');
    }
    const policy = (method: string, body?: unknown) => callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), method, '/api/admin/policy', body);
    const current = await policy('GET');
    const squash = await policy('POST', { layer: { mergeQueue: { strategy: 'squash' } }, expectedVersion: current.json.version });
    expect(squash.status).toBe(422);
    expect(JSON.stringify(squash.json)).toContain('squash is not possible through the merge queue: Bitbucket marks a pull request merged only when its own commits reach the target');
    expect((await policy('GET')).json.version).toBe(current.json.version);
    const ff = await policy('POST', { layer: { mergeQueue: { strategy: 'fast_forward', closeSourceBranch: true } }, expectedVersion: current.json.version });
    expect(ff.status).toBe(200);
    expect(ff.json.layer).toMatchObject({ mergeQueue: { strategy: 'fast_forward', closeSourceBranch: true } });
    await policy('POST', { layer: {}, expectedVersion: ff.json.version });
  });

  it('the PR panel reads its PR’s place, the dashboard its repository’s queues; neither may call the admin route', async () => {
    const panel = sessionFor(stack, 'bob', 'pr-panel');
    const place = await callApi(stack, panel, 'GET', `/api/pr-panel/queue?repoUuid=${encodeURIComponent(repo().uuid)}&prId=1`);
    expect(place.status).toBe(200);
    expect(place.json).toMatchObject({ repository: 'acme/web', branch: 'main', pullRequestId: 1, place: null, freeze: { frozen: true }, canQueue: true });
    const dashboard = await callApi(stack, sessionFor(stack, 'bob', 'repo-dashboard'), 'GET', `/api/repo-dashboard/queues?repoUuid=${encodeURIComponent(repo().uuid)}`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.json.queues.map((q: { branch: string }) => q.branch)).toEqual(['main']);
    // Both say how the queue merges there: the effective policy (default merge_commit, source branches as each PR asks).
    expect(place.json.landing).toEqual({ strategy: 'merge_commit', closeSourceBranch: null, sourceBranchClosed: false });
    expect(dashboard.json.queues[0].landing).toEqual({ strategy: 'merge_commit', closeSourceBranch: null });
    // Reloaded, as the panel does every 3 s while its PR is queued: the landing policy is reused and the PR is the mirror's
    // (the panel's first load filled it), so a reload costs no Bitbucket request (merge-queue-views-mirror.test.ts counts more).
    const spent = async () => {
      const before = stack.sandbox.requests.total();
      const again = await callApi(stack, panel, 'GET', `/api/pr-panel/queue?repoUuid=${encodeURIComponent(repo().uuid)}&prId=1`);
      expect(again.json.landing).toEqual(place.json.landing);
      return stack.sandbox.requests.total() - before;
    };
    expect(await spent()).toBe(0);
    // A panel session is bound to its page: the admin route is refused before anything else.
    expect((await callApi(stack, panel, 'GET', '/api/admin/merge-queues')).status).toBe(401);
    expect((await callApi(stack, panel, 'GET', '/api/pr-panel/queue?repoUuid=nope&prId=1')).status).toBe(400);
  });
});
