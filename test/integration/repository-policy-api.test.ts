import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';

const CAROL = '{ca201000-0000-4000-8000-000000000003}';

describe('per-repository policy overrides over HTTP', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack.close());

  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const api = (method: string, path: string, body?: unknown, nickname = 'alice') => callApi(stack, sessionFor(stack, nickname, 'admin-settings'), method, path, body);
  const repoPath = () => `/api/admin/policy/repository?repoUuid=${encodeURIComponent(web().uuid)}`;

  it('an admin saves an override under versions; invalid ones save nothing; members get 403; unknown repositories 404', async () => {
    expect((await api('GET', repoPath())).json).toMatchObject({ repoUuid: web().uuid, repository: 'acme/web', layer: {}, version: 0 });
    const invalid = await api('POST', '/api/admin/policy/repository', { repoUuid: web().uuid, layer: { stale: { mode: 'sometimes' } }, expectedVersion: 0 });
    expect(invalid.status).toBe(422);
    expect(invalid.json.issues[0]).toMatchObject({ source: 'repository', path: 'stale.mode' });
    // A group neither the workspace nor the override defines.
    const unknownGroup = await api('POST', '/api/admin/policy/repository', { repoUuid: web().uuid, layer: { reviewers: { owners: [{ paths: ['src/'], reviewers: ['group:nobody'] }] } }, expectedVersion: 0 });
    expect(unknownGroup.status).toBe(422);
    expect(unknownGroup.json.issues[0].message).toMatch(/group/);

    const saved = await api('POST', '/api/admin/policy/repository', { repoUuid: web().uuid, layer: { reviewers: { mode: 'off' } }, expectedVersion: 0 });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ version: 1, layer: { reviewers: { mode: 'off' } } });
    expect((await api('POST', '/api/admin/policy/repository', { repoUuid: web().uuid, layer: {}, expectedVersion: 0 })).status).toBe(409);
    expect((await api('POST', '/api/admin/policy/repository', { repoUuid: web().uuid, layer: {}, expectedVersion: 1 }, 'bob')).status).toBe(403);
    expect((await api('GET', repoPath(), undefined, 'bob')).status).toBe(403);
    expect((await api('GET', '/api/admin/policy/repository?repoUuid=%7B00000000-0000-4000-8000-000000000999%7D')).status).toBe(404);
    expect((await api('GET', '/api/admin/policy/repository?repoUuid=web')).status).toBe(400);
    const list = (await api('GET', '/api/admin/policy/repositories')).json;
    expect(list.overrides).toEqual([expect.objectContaining({ repoUuid: web().uuid, version: 1 })]);
    expect(list.repositories).toEqual(expect.arrayContaining([{ repoUuid: web().uuid, fullName: 'acme/web' }]));
  });

  it('a preview says what the override would change on the repository’s open PRs and saves nothing', async () => {
    const before = (await api('GET', repoPath())).json;
    const preview = await api('POST', '/api/admin/policy/repository/preview', { repoUuid: web().uuid, layer: { readiness: { allowedTargetBranches: ['release/*'] } } });
    expect(preview.status).toBe(200);
    const open = stack.sandbox.state.pullRequests.filter((p) => p.state === 'OPEN' && p.repoUuid === web().uuid);
    expect(preview.json).toMatchObject({ scanned: { repositories: 1, pullRequests: open.length } });
    expect(preview.json.changes.filter((c: { after: string[] }) => c.after.includes('target-branch'))).toHaveLength(open.filter((p) => !p.destination.branch.startsWith('release/')).length);
    expect(preview.json.changes.every((c: { repository: string }) => c.repository === 'acme/web')).toBe(true);
    expect((await api('POST', '/api/admin/policy/repository/preview', { repoUuid: web().uuid, layer: { stale: { decline: 'yes' } } })).status).toBe(422);
    expect((await api('GET', repoPath())).json).toEqual(before);
  });

  it('the rules follow the override: reviewers on in the workspace, off for this repository', async () => {
    const ws = await api('POST', '/api/admin/policy', { layer: { reviewers: { mode: 'on', owners: [{ paths: ['**'], reviewers: [CAROL] }], includeDefaultReviewers: false }, readiness: { mode: 'on' } }, expectedVersion: 0 });
    expect(ws.status).toBe(200);
    const a = stack.sandbox.actions;
    a.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/override', actor: 'bob', message: 'work', files: { 'x.txt': 'x\n' } });
    const onWeb = a.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'Override', sourceBranch: 'feature/override' });
    a.pushCommit({ workspace: 'acme', repo: 'api', branch: 'feature/override', actor: 'bob', message: 'work', files: { 'x.txt': 'x\n' } });
    const onApi = a.createPullRequest({ workspace: 'acme', repo: 'api', actor: 'bob', title: 'Override', sourceBranch: 'feature/override' });
    const api2 = stack.sandbox.state.repositories.find((r) => r.slug === 'api')!;
    const find = (repoUuid: string, id: number) => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === repoUuid && p.id === id)!;
    await expect.poll(() => find(api2.uuid, onApi.id).reviewerUuids, { timeout: 15_000 }).toEqual([CAROL]);
    // The web PR's statuses show its rules ran; its reviewers stayed as they were.
    await expect.poll(() => stack.sandbox.state.statuses.some((s) => s.commitHash === find(web().uuid, onWeb.id).source.hash && s.key === 'bosun/ready'), { timeout: 15_000 }).toBe(true);
    expect(find(web().uuid, onWeb.id).reviewerUuids).toEqual([]);
  });
});
