import { afterEach, describe, expect, it } from 'vitest';
import type { MergeStrategy } from '../../sandbox';
import { loadOpenApiValidator } from './helpers/openapi-validator';
import { ALL_SCOPES, type Harness, startHarness, waitFor } from './helpers/setup';

const spec = loadOpenApiValidator();
const WEB = '/2.0/repositories/acme/web';

describe('sandbox merge', () => {
  let h: Harness;
  afterEach(async () => h?.close());
  const start = (sandbox = {}) => startHarness({ descriptor: { scopes: ALL_SCOPES }, sandbox: { asyncMergeMs: 50, ...sandbox } });
  const branch = (name: string) => h.sandbox.state.branches.find((b) => b.name === name && b.repoUuid === h.sandbox.state.repositories[0]!.uuid);
  const commit = (hash: string) => h.sandbox.state.commits.find((c) => c.hash === hash)!;
  const openPr = (source: string, commits = 2) => {
    for (let i = 0; i < commits; i++) h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: source, actor: 'bob', message: `${source} ${i}` });
    return h.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: source, sourceBranch: source }).id;
  };

  it.each<[MergeStrategy, number, boolean]>([
    ['merge_commit', 2, true],
    ['squash', 1, true],
    ['squash_fast_forward', 1, false],
    ['rebase_fast_forward', 1, false],
    ['rebase_merge', 2, true],
  ])('%s merges onto a moved main branch (parents %i)', async (strategy, parents) => {
    h = await start();
    const id = openPr(`feature/${strategy}`);
    if (strategy !== 'squash_fast_forward') h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'main', actor: 'alice', message: 'main moves' });
    const before = branch('main')!.target;
    const res = await h.api('POST', `${WEB}/pullrequests/${id}/merge`, { type: 'pullrequest_merge_parameters', merge_strategy: strategy, close_source_branch: true });
    expect(res.status).toBe(200);
    expect(spec.validate('pullrequest', res.json)).toEqual([]);
    expect(res.json.state).toBe('MERGED');
    const tip = commit(branch('main')!.target);
    expect(tip.parents).toHaveLength(parents);
    expect(res.json.merge_commit.hash).toBe(tip.hash.slice(0, 12));
    expect(tip.tree[`notes/feature-${strategy.replace(/_/g, '-')}.md`]).toContain(`feature/${strategy} 1`);
    expect(tip.parents[0] === before || strategy === 'rebase_fast_forward').toBe(true);
    expect(branch(`feature/${strategy}`)).toBeUndefined();
  });

  it('fast_forward moves main to the source tip and refuses with 400 when main diverged', async () => {
    h = await start();
    const id = openPr('feature/ff');
    const sourceTip = branch('feature/ff')!.target;
    expect((await h.api('POST', `${WEB}/pullrequests/${id}/merge`, { merge_strategy: 'fast_forward' })).json.state).toBe('MERGED');
    expect(branch('main')!.target).toBe(sourceTip);
    const id2 = openPr('feature/ff2');
    h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'main', actor: 'alice', message: 'diverge' });
    const refused = await h.api('POST', `${WEB}/pullrequests/${id2}/merge`, { merge_strategy: 'fast_forward' });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toMatch(/fast-forward/);
    expect(spec.validate('error', refused.json)).toEqual([]);
  });

  it('async merge answers 202 + Location, PENDING for a while, then SUCCESS with the merged PR', async () => {
    h = await start({ asyncMergeMs: 150 });
    const id = openPr('feature/async');
    const res = await h.api('POST', `${WEB}/pullrequests/${id}/merge?async=true`, { merge_strategy: 'squash' });
    expect(res.status).toBe(202);
    const location = new URL(res.headers.get('location')!);
    expect(location.pathname).toMatch(new RegExp(`^/2\\.0/repositories/acme/web/pullrequests/${id}/merge/task-status/[\\w-]+$`));
    const pending = await h.api('GET', location.pathname);
    expect(pending.json).toEqual({ task_status: 'PENDING' });
    expect(h.sandbox.state.pullRequests.find((p) => p.id === id)!.state).toBe('OPEN');
    await waitFor(async () => (await h.api('GET', location.pathname)).json.task_status === 'SUCCESS');
    const done = await h.api('GET', location.pathname);
    expect(done.json.merge_result).toMatchObject({ id, state: 'MERGED' });
    expect(spec.validate('pullrequest', done.json.merge_result)).toEqual([]);
    expect((await h.api('GET', `${WEB}/pullrequests/1/merge/task-status/${location.pathname.split('/').pop()}`)).status).toBe(400);
  });

  it('async fast-forward answers 409 when the destination moved meanwhile', async () => {
    h = await start({ asyncMergeMs: 100 });
    const id = openPr('feature/race');
    const res = await h.api('POST', `${WEB}/pullrequests/${id}/merge?async=true`, { merge_strategy: 'fast_forward' });
    h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'main', actor: 'alice', message: 'race' });
    const path = new URL(res.headers.get('location')!).pathname;
    await waitFor(async () => (await h.api('GET', path)).status !== 200);
    const failed = await h.api('GET', path);
    expect(failed.status).toBe(409);
    expect(failed.json.type).toBe('error');
  });

  it('enforces branch restrictions on merge with a 400 naming each failing check', async () => {
    h = await start();
    const rules = [
      { kind: 'require_approvals_to_merge', value: 2 },
      { kind: 'require_passing_builds_to_merge', value: 1 },
      { kind: 'require_no_changes_requested' },
      { kind: 'require_tasks_to_be_completed' },
      { kind: 'require_default_reviewer_approvals_to_merge', value: 1 },
    ];
    for (const r of rules) expect((await h.api('POST', `${WEB}/branch-restrictions`, { ...r, branch_match_kind: 'glob', pattern: 'main' })).status).toBe(201);
    await h.api('PUT', `${WEB}/default-reviewers/alice`);
    const res = await h.api('POST', `${WEB}/pullrequests/1/merge`, {});
    expect(res.status).toBe(400);
    expect(spec.validate('error', res.json)).toEqual([]);
    expect(res.json.error.message).toMatch(/merge checks/);
    expect(res.json.error.data.merge_checks).toHaveLength(4); // one approval of 2, e2e in progress, 1 open task, no default-reviewer approval
    const pr = h.sandbox.state.pullRequests.find((p) => p.id === 1)!;
    // Satisfy every check, then the merge goes through.
    h.sandbox.actions.approve({ workspace: 'acme', repo: 'web', id: 1 }, 'alice');
    h.sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit: pr.source.hash, actor: 'bob', key: 'e2e', state: 'SUCCESSFUL' });
    const task = h.sandbox.state.tasks.find((t) => t.prId === 1)!;
    h.sandbox.actions.updateTask({ workspace: 'acme', repo: 'web', id: 1 }, 'bob', task.id, { state: 'RESOLVED' });
    const ok = await h.api('POST', `${WEB}/pullrequests/1/merge`, {});
    expect(ok.status).toBe(200);
  });

  it('restrict_merges lets only listed users merge; premium mode only enforces with enforce_merge_checks', async () => {
    h = await start({ enforceMergeChecks: 'premium' });
    await h.api('POST', `${WEB}/branch-restrictions`, { kind: 'require_approvals_to_merge', value: 3, branch_match_kind: 'branching_model', branch_type: 'development' });
    const id = openPr('feature/premium', 1);
    expect((await h.api('POST', `${WEB}/pullrequests/${id}/merge`, {})).status).toBe(200);
    await h.api('POST', `${WEB}/branch-restrictions`, { kind: 'enforce_merge_checks', branch_match_kind: 'glob', pattern: '*' });
    await h.api('POST', `${WEB}/branch-restrictions`, { kind: 'restrict_merges', branch_match_kind: 'glob', pattern: 'ma*', users: [{ nickname: 'alice' }] });
    const id2 = openPr('feature/premium2', 1);
    const refused = await h.api('POST', `${WEB}/pullrequests/${id2}/merge`, {});
    expect(refused.status).toBe(400);
    expect(refused.json.error.data.merge_checks.join(' ')).toMatch(/not allowed to merge/);
  });
});
