import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';

/**
 * Issue 10, item 1 in the running app: the scheduled sweep lists branch heads, default reviewers,
 * branch restrictions and recent pipelines into the mirror; the repository dashboard shows them for
 * the branches its PRs target, without a Bitbucket call; a push moves the head it shows.
 */
describe('repository facts on the dashboard', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite', worker: false });
  });
  afterAll(async () => stack.close());

  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const credential = () => `app:${stack.installation.clientKey}`;
  const runJobs = async (types: string[]) => {
    const { queue } = stack.bosun.services.automation;
    for (const type of types) await queue.enqueue({ clientKey: stack.installation.clientKey, type, payload: {} });
    await stack.bosun.services.automation.createWorker().drain();
  };
  const dashboard = () => callApi(stack, sessionFor(stack, 'bob', 'repo-dashboard'), 'GET', `/api/repo-dashboard?repoUuid=${encodeURIComponent(web().uuid)}`);

  it('shows the target branch head, its restrictions and the default reviewers from the mirror, and follows a push', async () => {
    const dave = stack.sandbox.state.users.find((u) => u.nickname === 'dave')!;
    stack.sandbox.state.defaultReviewers.push({ repoUuid: web().uuid, userUuid: dave.uuid });
    stack.sandbox.state.branchRestrictions.push({ repoUuid: web().uuid, id: 7001, kind: 'require_approvals_to_merge', branchMatchKind: 'glob', pattern: 'main', branchType: null, value: 2, userUuids: [], groupSlugs: [] });
    // The initial sync, then sweeps until web's facts are listed (two repositories per sweep).
    await runJobs(['mirror.sync']);
    for (let i = 0; i < 3; i++) await runJobs(['mirror.sweep']);

    stack.sandbox.requests.reset();
    const res = await dashboard();
    expect(res.status).toBe(200);
    expect(stack.sandbox.requests.get(credential()).total).toBe(0);
    const main = stack.sandbox.state.branches.find((b) => b.repoUuid === web().uuid && b.name === 'main')!;
    const facts = res.json.repositoryFacts as { targetBranches: Array<{ name: string; head: string | null; restrictions: string[] | null }>; defaultReviewers: string[] | null; branchCount: number };
    expect(facts.defaultReviewers).toEqual([dave.displayName]);
    expect(facts.branchCount).toBe(stack.sandbox.state.branches.filter((b) => b.repoUuid === web().uuid).length);
    expect(facts.targetBranches.find((b) => b.name === 'main')).toEqual({ name: 'main', head: main.target.slice(0, 12), restrictions: ['require_approvals_to_merge (2)'] });

    // A push to main arrives as repo:push; the head the dashboard shows moves with it.
    const commit = stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'main', actor: 'alice', message: 'Move main', files: { 'facts.txt': 'x' } });
    await stack.sandbox.idle();
    await stack.bosun.services.deps.automation.intake.settled?.();
    const after = await dashboard();
    const moved = (after.json.repositoryFacts as typeof facts).targetBranches.find((b) => b.name === 'main');
    expect(moved?.head).toBe(commit.hash.slice(0, 12));
  });

  it('a dashboard opened on a repository whose facts are missing queues one sync-lane listing of them, and the next view has them', async () => {
    const api = stack.sandbox.state.repositories.find((r) => r.slug === 'api')!;
    const { queue } = stack.bosun.services.automation;
    const clientKey = stack.installation.clientKey;
    const factsJobs = async () => (await queue.list(clientKey, { limit: 500, offset: 0 })).filter((j) => j.type === 'mirror.facts' && (j.payload as { repositoryUuid?: string }).repositoryUuid === api.uuid);
    const open = () => callApi(stack, sessionFor(stack, 'bob', 'repo-dashboard'), 'GET', `/api/repo-dashboard?repoUuid=${encodeURIComponent(api.uuid)}`);
    // Facts never listed for api (the sweeps above listed web's and at most a few others): drop any, to start from none.
    await stack.bosun.services.db.sequelize.query('DELETE FROM mirror_repository_facts WHERE client_key = :clientKey AND repository_uuid = :uuid', { replacements: { clientKey, uuid: api.uuid } });
    await stack.bosun.services.db.sequelize.query('DELETE FROM mirror_branches WHERE client_key = :clientKey AND repository_uuid = :uuid', { replacements: { clientKey, uuid: api.uuid } });
    const first = await open();
    expect(first.status).toBe(200);
    expect(first.json.repositoryFacts).toBeUndefined();
    // Deduplicated: more views, still one job.
    await open();
    await open();
    expect(await factsJobs()).toHaveLength(1);
    expect((await factsJobs())[0]!.state).toBe('queued');

    stack.sandbox.requests.reset();
    await stack.bosun.services.automation.createWorker().drain();
    expect((await factsJobs())[0]!.state).toBe('succeeded');
    // Listed as the installation, and charged to the sync lane (what scheduled mirror work spends).
    expect(stack.sandbox.requests.get(credential()).total).toBeGreaterThan(0);
    const [spent] = await stack.bosun.services.db.sequelize.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM budget_usage WHERE client_key = :clientKey AND lane = 'sync' AND purpose = 'mirror.facts'`,
      { replacements: { clientKey }, type: QueryTypes.SELECT },
    );
    expect(Number(spent!.n)).toBeGreaterThan(0);

    stack.sandbox.requests.reset();
    const next = await open();
    expect(stack.sandbox.requests.get(credential()).total).toBe(0);
    const facts = next.json.repositoryFacts as { branchCount: number; syncedAt: string | null };
    expect(facts.branchCount).toBe(stack.sandbox.state.branches.filter((b) => b.repoUuid === api.uuid).length);
    expect(facts.syncedAt).not.toBeNull();
    // Facts present: no further request is queued.
    await open();
    expect(await factsJobs()).toHaveLength(1);
  });
});
