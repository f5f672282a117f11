import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';

describe.each(testDatabaseKinds())('readiness checklist and workspace policy over HTTP (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind });
  });
  afterAll(async () => stack.close());

  const admin = (method: string, body?: unknown, nickname = 'alice') => callApi(stack, sessionFor(stack, nickname, 'admin-settings'), method, '/api/admin/policy', body);
  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const readiness = (prId: number, nickname = 'bob') =>
    callApi(stack, sessionFor(stack, nickname, 'pr-panel'), 'GET', `/api/pr-panel/readiness?repoUuid=${encodeURIComponent(web().uuid)}&prId=${prId}`);

  it('an admin saves the workspace policy under versions; an invalid one saves nothing; others get 403', async () => {
    expect((await admin('GET')).json).toMatchObject({ layer: {}, version: 0, updatedBy: null });
    const invalid = await admin('POST', { layer: { readiness: { titlePattern: '(' }, stale: { mode: 'sometimes' } }, expectedVersion: 0 });
    expect(invalid.status).toBe(422);
    expect(invalid.json.issues.map((i: { path: string }) => i.path).sort()).toEqual(['readiness.titlePattern', 'stale.mode']);
    expect(invalid.json.error).toMatchObject({ code: 'INVALID_POLICY', message: expect.stringContaining('stale.mode') });
    expect((await admin('GET')).json.version).toBe(0);
    const saved = await admin('POST', { layer: { readiness: { mode: 'on', titlePattern: '^WEB-\\d+ ' } }, expectedVersion: 0 });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ version: 1, layer: { readiness: { mode: 'on', titlePattern: '^WEB-\\d+ ' } } });
    const stale = await admin('POST', { layer: {}, expectedVersion: 0 });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('POLICY_CONFLICT');
    expect((await admin('POST', { layer: {}, expectedVersion: 1 }, 'bob')).status).toBe(403);
    expect((await admin('GET')).json.version).toBe(1);
  });

  it('the checklist says what blocks the PR and who can lift it, and agrees with what the sandbox allows', async () => {
    const a = stack.sandbox.actions;
    a.createBranchRestriction({ workspace: 'acme', repo: 'web' }, { kind: 'require_approvals_to_merge', branchMatchKind: 'glob', pattern: 'main', value: 1 });
    a.createBranchRestriction({ workspace: 'acme', repo: 'web' }, { kind: 'enforce_merge_checks', branchMatchKind: 'glob', pattern: 'main' });
    a.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/checklist', actor: 'bob', message: 'work' });
    const pr = a.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'Checklist change', sourceBranch: 'feature/checklist', reviewers: ['carol'] });
    const carol = stack.sandbox.state.users.find((u) => u.nickname === 'carol')!.uuid;

    const before = await readiness(pr.id);
    expect(before.status).toBe(200);
    expect(before.json.readinessMode).toBe('on');
    const blockers = before.json.conditions.filter((c: { status: string }) => c.status !== 'pass');
    // Builds count by Bosun's default policy even without a restriction: none reported yet is pending, never green.
    expect(blockers.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([['approvals', 'fail'], ['policy-builds', 'pending'], ['title', 'fail']]);
    expect(blockers[0]).toMatchObject({ enforced: true, unblockedBy: { kind: 'people', userUuids: [carol] } });
    expect(blockers[1]).toMatchObject({ source: 'bosun', enforced: false, unblockedBy: { kind: 'ci' } });
    expect(blockers[2]).toMatchObject({ source: 'bosun', enforced: false, unblockedBy: { kind: 'author' } });
    expect(before.json.bitbucketAllowsMerge).toBe(false);
    expect(() => a.merge({ workspace: 'acme', repo: 'web', id: pr.id }, 'alice')).toThrow(/merge checks/);

    a.approve({ workspace: 'acme', repo: 'web', id: pr.id }, 'carol');
    a.setCommitStatus({ workspace: 'acme', repo: 'web', commit: pr.source.hash, actor: 'bob', key: 'ci', state: 'SUCCESSFUL' });
    const after = await readiness(pr.id);
    expect(after.json.conditions.filter((c: { status: string }) => c.status !== 'pass').map((c: { id: string }) => c.id)).toEqual(['title']);
    expect(after.json).toMatchObject({ bitbucketAllowsMerge: true, ready: false, verdict: 'blocked' });
    expect(a.merge({ workspace: 'acme', repo: 'web', id: pr.id }, 'alice').state).toBe('MERGED');
  });

  it('a preview says what a policy would change on current PRs and saves nothing', async () => {
    const before = (await admin('GET')).json;
    const preview = await callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), 'POST', '/api/admin/policy/preview', {
      layer: { readiness: { allowedTargetBranches: ['release/*'] } },
    });
    expect(preview.status).toBe(200);
    // The seed is small enough to be read whole: every open PR, and each one not into release/* is newly blocked.
    const open = stack.sandbox.state.pullRequests.filter((p) => p.state === 'OPEN');
    expect(preview.json).toMatchObject({ truncated: false, scanned: { pullRequests: open.length } });
    const blocked = preview.json.changes.filter((c: { after: string[] }) => c.after.includes('target-branch'));
    expect(blocked).toHaveLength(open.filter((p) => !p.destination.branch.startsWith('release/')).length);
    expect(blocked.length).toBeGreaterThan(0);
    const invalid = await callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), 'POST', '/api/admin/policy/preview', { layer: { stale: { decline: 'yes' } } });
    expect(invalid.status).toBe(422);
    expect(invalid.json.issues[0].path).toBe('stale.decline');
    expect((await admin('GET')).json).toEqual(before);
    expect((await callApi(stack, sessionFor(stack, 'bob', 'admin-settings'), 'POST', '/api/admin/policy/preview', { layer: {} })).status).toBe(403);
  });

  it('another page’s session may not read the checklist', async () => {
    const res = await callApi(stack, sessionFor(stack, 'bob', 'personal-settings'), 'GET', `/api/pr-panel/readiness?repoUuid=${encodeURIComponent(web().uuid)}&prId=1`);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('SESSION_SCOPE');
  });
});
