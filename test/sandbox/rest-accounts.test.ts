import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_OAUTH_CONSUMER_KEY } from '../../sandbox';
import { loadOpenApiValidator } from './helpers/openapi-validator';
import { ALL_SCOPES, type Harness, startHarness } from './helpers/setup';

const spec = loadOpenApiValidator();

describe('sandbox users, workspaces and repositories', () => {
  let h: Harness;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES } });
    alice = h.sandbox.oauth.issueTokens({ userNickname: 'alice', consumerKey: DEV_OAUTH_CONSUMER_KEY }).access_token;
    bob = h.sandbox.oauth.issueTokens({ userNickname: 'bob', consumerKey: DEV_OAUTH_CONSUMER_KEY }).access_token;
  });
  afterAll(async () => h.close());

  it('GET /user/emails answers the user principal only', async () => {
    const res = await h.asUser(alice, 'GET', '/2.0/user/emails');
    expect(res.status).toBe(200);
    expect(res.json.values).toEqual([expect.objectContaining({ type: 'email', email: 'alice@acme.test', is_primary: true, is_confirmed: true })]);
    expect((await h.api('GET', '/2.0/user/emails')).status).toBe(401);
  });

  it('GET /user/permissions/workspaces and /repositories list memberships with q filters', async () => {
    const ws = await h.asUser(alice, 'GET', '/2.0/user/permissions/workspaces');
    expect(ws.status).toBe(200);
    expect(spec.validate('paginated_workspace_memberships', ws.json)).toEqual([]);
    expect(ws.json.values[0]).toMatchObject({ type: 'workspace_membership', permission: 'owner', workspace: { slug: 'acme' } });
    const bobWs = await h.asUser(bob, 'GET', `/2.0/user/permissions/workspaces?q=${encodeURIComponent('permission="owner"')}`);
    expect(bobWs.json.values).toEqual([]);
    const repos = await h.asUser(bob, 'GET', `/2.0/user/permissions/repositories?q=${encodeURIComponent('repository.full_name="acme/web"')}`);
    expect(repos.status).toBe(200);
    expect(spec.validate('paginated_repository_permissions', repos.json)).toEqual([]);
    expect(repos.json.values).toEqual([expect.objectContaining({ type: 'repository_permission', permission: 'write', repository: expect.objectContaining({ full_name: 'acme/web' }) })]);
    expect((await h.asUser(bob, 'GET', '/2.0/user/permissions/repositories?q=bogus')).status).toBe(400);
    expect((await h.api('GET', '/2.0/user/permissions/workspaces')).status).toBe(401);
  });

  it('GET /workspaces/{ws}/members, /members/{member} and /permissions', async () => {
    const members = await h.api('GET', '/2.0/workspaces/acme/members');
    expect(members.status).toBe(200);
    expect(spec.validate('paginated_workspace_memberships', members.json)).toEqual([]);
    expect(members.json.values.map((m: any) => m.user.nickname)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(members.json.values.some((m: any) => m.user.type === 'app_user')).toBe(false);
    const bobUuid = h.sandbox.state.users.find((u) => u.nickname === 'bob')!.uuid;
    const one = await h.api('GET', `/2.0/workspaces/acme/members/${encodeURIComponent(bobUuid)}`);
    expect(one.status).toBe(200);
    expect(spec.validate('workspace_membership', one.json)).toEqual([]);
    expect(one.json.user.uuid).toBe(bobUuid);
    expect((await h.api('GET', '/2.0/workspaces/acme/members/nobody')).status).toBe(404);
    const owners = await h.api('GET', `/2.0/workspaces/acme/permissions?q=${encodeURIComponent('permission="owner"')}`);
    expect(owners.json.values.map((m: any) => [m.user.nickname, m.permission])).toEqual([['alice', 'owner']]);
    expect(spec.validate('paginated_workspace_memberships', owners.json)).toEqual([]);
  });

  it('POST creates a repository (200), PUT updates (200) or creates (201)', async () => {
    const created = await h.api('POST', '/2.0/repositories/acme/new-repo', { scm: 'git', name: 'New repo', is_private: true, description: 'Fresh' });
    expect(created.status).toBe(200);
    expect(spec.validate('repository', created.json)).toEqual([]);
    expect(created.json).toMatchObject({ full_name: 'acme/new-repo', name: 'New repo', description: 'Fresh', mainbranch: { name: 'main' } });
    expect((await h.api('POST', '/2.0/repositories/acme/new-repo', {})).status).toBe(400);
    expect((await h.api('GET', '/2.0/repositories/acme/new-repo/refs/branches/main')).status).toBe(200);
    const updated = await h.api('PUT', '/2.0/repositories/acme/new-repo', { description: 'Changed', language: 'rust' });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ description: 'Changed', language: 'rust' });
    const viaPut = await h.api('PUT', '/2.0/repositories/acme/put-repo', { description: 'By PUT' });
    expect(viaPut.status).toBe(201);
    expect(viaPut.headers.get('location')).toBe('http://sandbox.test/2.0/repositories/acme/put-repo');
    expect((await h.api('POST', '/2.0/repositories/nope/x', {})).status).toBe(404);
  });

  it('creates a branch from target.hash (repo:push created), reads and deletes it (repo:push closed)', async () => {
    const other = await startHarness({ descriptor: { scopes: ALL_SCOPES, modules: { webhooks: [{ event: 'repo:push', url: '/webhook' }] } } });
    try {
      const main = other.sandbox.state.branches.find((b) => b.name === 'main')!;
      const created = await other.api('POST', '/2.0/repositories/acme/web/refs/branches', { name: 'feature/new', target: { hash: main.target.slice(0, 12) } });
      expect(created.status).toBe(201);
      expect(spec.validate('branch', created.json)).toEqual([]);
      expect(created.json.target.hash).toBe(main.target);
      expect((await other.api('POST', '/2.0/repositories/acme/web/refs/branches', { name: 'feature/new', target: { hash: main.target } })).status).toBe(400);
      expect((await other.api('POST', '/2.0/repositories/acme/web/refs/branches', { name: 'x', target: { hash: 'deadbeefdead' } })).status).toBe(404);
      const got = await other.api('GET', `/2.0/repositories/acme/web/refs/branches/${encodeURIComponent('feature/new')}`);
      expect(got.status).toBe(200);
      expect(spec.validate('branch', got.json)).toEqual([]);
      expect((await other.api('DELETE', `/2.0/repositories/acme/web/refs/branches/${encodeURIComponent('feature/new')}`)).status).toBe(204);
      expect((await other.api('DELETE', `/2.0/repositories/acme/web/refs/branches/${encodeURIComponent('feature/new')}`)).status).toBe(404);
      expect((await other.api('DELETE', '/2.0/repositories/acme/web/refs/branches/main')).status).toBe(400);
      await other.sandbox.idle();
      const changes = other.app.received.filter((r) => r.path === '/webhook').map((r) => (r.body.data as any).push.changes[0]);
      expect(changes.map((c: any) => [c.created, c.closed])).toEqual([[true, false], [false, true]]);
      expect(changes[0].new.name).toBe('feature/new');
      expect(changes[1].old.name).toBe('feature/new');
    } finally {
      await other.close();
    }
  });

  it('lists commits with include/exclude and pagination, reads one commit', async () => {
    const pr = h.sandbox.state.pullRequests.find((p) => p.id === 1)!;
    const all = await h.api('GET', '/2.0/repositories/acme/web/commits?pagelen=2');
    expect(all.status).toBe(200);
    expect(spec.validate('paginated_changeset', all.json)).toEqual([]);
    expect(all.json.values).toHaveLength(2);
    expect(all.json.next).toContain('page=2');
    const between = await h.api('GET', `/2.0/repositories/acme/web/commits?include=${encodeURIComponent('feature/login-form')}&exclude=main`);
    expect(between.json.values.map((c: any) => c.message.trim())).toEqual(['Validate email field', 'Add login form']);
    expect(between.json.values[0].hash).toBe(pr.source.hash);
    const one = await h.api('GET', `/2.0/repositories/acme/web/commit/${pr.source.hash}`);
    expect(spec.validate('commit', one.json)).toEqual([]);
    expect((await h.api('GET', '/2.0/repositories/acme/web/commit/0000000000')).status).toBe(404);
  });

  it('GET src/{commit}/{path} returns raw file text, directories as tree entries, 404 otherwise', async () => {
    const readme = await h.api('GET', '/2.0/repositories/acme/web/src/main/README.md');
    expect(readme.status).toBe(200);
    expect(readme.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(readme.text).toBe('# web\n\nCustomer-facing web app\n');
    const yml = await h.api('GET', '/2.0/repositories/acme/api/src/main/bitbucket-pipelines.yml');
    expect(yml.text).toContain('pipelines:');
    const dir = await h.api('GET', `/2.0/repositories/acme/web/src/${encodeURIComponent('feature/login-form')}/notes`);
    expect(spec.validate('paginated_treeentries', dir.json)).toEqual([]);
    expect(dir.json.values).toContainEqual(expect.objectContaining({ type: 'commit_file', path: 'notes/feature-login-form.md' }));
    const missing = await h.api('GET', '/2.0/repositories/acme/web/src/main/nope.txt');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ type: 'error', error: { message: 'No such file or directory: nope.txt' } });
  });
});
