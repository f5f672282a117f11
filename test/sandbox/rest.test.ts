import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenApiValidator } from './helpers/openapi-validator';
import { type Harness, startHarness } from './helpers/setup';

const spec = loadOpenApiValidator();
if (!spec) console.warn('openapi.json not found: skipping spec shape checks');

describe('sandbox REST 2.0', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('PR list, PR, statuses, repository, branches, commits and comments match openapi.json', async () => {
    const checks: Array<[string, string]> = [
      ['/2.0/repositories/acme/web/pullrequests?state=OPEN&state=MERGED&state=DECLINED', 'paginated_pullrequests'],
      ['/2.0/repositories/acme/web/pullrequests/1', 'pullrequest'],
      ['/2.0/repositories/acme/web/pullrequests/4', 'pullrequest'],
      ['/2.0/repositories/acme/web/pullrequests/1/statuses', 'paginated_commitstatuses'],
      ['/2.0/repositories/acme/web', 'repository'],
      ['/2.0/repositories/acme', 'paginated_repositories'],
      ['/2.0/workspaces/acme', 'workspace'],
      ['/2.0/repositories/acme/web/refs/branches', 'paginated_branches'],
      ['/2.0/repositories/acme/web/commits', 'paginated_changeset'],
      ['/2.0/repositories/acme/web/pullrequests/1/comments', 'paginated_pullrequest_comments'],
    ];
    for (const [path, schema] of checks) {
      const res = await h.api('GET', path);
      expect(res.status, path).toBe(200);
      expect(spec.validate(schema, res.json), `${path} vs ${schema}`).toEqual([]);
    }
    const notFound = await h.api('GET', '/2.0/repositories/acme/nope');
    expect(spec.validate('error', notFound.json)).toEqual([]);
  });

  it('PR JSON carries Bitbucket identifiers: types, braced uuids, 12-char endpoint hashes, ISO dates', async () => {
    const { json } = await h.api('GET', '/2.0/repositories/acme/web/pullrequests/1');
    expect(json.type).toBe('pullrequest');
    expect(json.author.type).toBe('user');
    expect(json.author.uuid).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(json.source.repository.type).toBe('repository');
    expect(json.source.commit.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(json.source.branch.name).toBe('feature/login-form');
    expect(json.participants.find((p: any) => p.approved).type).toBe('participant');
    expect(new Date(json.created_on).toISOString()).toBeTruthy();
    expect(json.links.self.href).toBe('http://sandbox.test/2.0/repositories/acme/web/pullrequests/1');
    const statuses = await h.api('GET', '/2.0/repositories/acme/web/pullrequests/1/statuses');
    expect(statuses.json.values.map((s: any) => s.state).sort()).toEqual(['INPROGRESS', 'SUCCESSFUL']);
    expect(statuses.json.values[0].type).toBe('build');
    const commit = await h.api('GET', `/2.0/repositories/acme/web/commit/${json.source.commit.hash}`);
    expect(commit.json.hash).toMatch(/^[0-9a-f]{40}$/);
  });

  it('filters by state (default OPEN, repeatable) and paginates with absolute next/previous links', async () => {
    const open = await h.api('GET', '/2.0/repositories/acme/web/pullrequests');
    expect(open.json.values.every((p: any) => p.state === 'OPEN')).toBe(true);
    expect(open.json).toMatchObject({ pagelen: 10, page: 1, size: 3 });
    const page1 = await h.api('GET', '/2.0/repositories/acme/web/pullrequests?state=OPEN&state=MERGED&state=DECLINED&pagelen=2');
    expect(page1.json).toMatchObject({ pagelen: 2, page: 1, size: 5 });
    expect(page1.json.values).toHaveLength(2);
    expect(page1.json.previous).toBeUndefined();
    const next = new URL(page1.json.next);
    expect(next.origin).toBe('http://sandbox.test');
    expect(next.searchParams.get('page')).toBe('2');
    expect(next.searchParams.getAll('state')).toEqual(['OPEN', 'MERGED', 'DECLINED']);
    const page3 = await h.api('GET', `${next.pathname}?${next.searchParams.toString().replace('page=2', 'page=3')}`);
    expect(page3.json.values).toHaveLength(1);
    expect(page3.json.next).toBeUndefined();
    expect(page3.json.previous).toContain('page=2');
    expect((await h.api('GET', '/2.0/repositories/acme/web/pullrequests?pagelen=51')).status).toBe(400);
  });

  it('addresses workspace and repository by slug or {uuid}', async () => {
    const ws = h.sandbox.state.workspaces[0]!;
    const repo = h.sandbox.state.repositories.find((r) => r.slug === 'api')!;
    const res = await h.api('GET', `/2.0/repositories/${encodeURIComponent(ws.uuid)}/${encodeURIComponent(repo.uuid)}/pullrequests/1`);
    expect(res.status).toBe(200);
    expect(res.json.title).toBe('Add rate limiting');
    const repoRes = await h.api('GET', `/2.0/repositories/acme/${encodeURIComponent(repo.uuid)}`);
    expect(repoRes.json.full_name).toBe('acme/api');
  });

  it('answers Bitbucket error bodies: 404 unknown repo/PR/route, 400 bad input', async () => {
    const cases: Array<[string, string, unknown, number]> = [
      ['GET', '/2.0/repositories/acme/nope/pullrequests', undefined, 404],
      ['GET', '/2.0/repositories/nope/web', undefined, 404],
      ['GET', '/2.0/repositories/acme/web/pullrequests/999', undefined, 404],
      ['GET', '/2.0/repositories/acme/web/no-such-thing', undefined, 404],
      ['GET', '/2.0/repositories/acme/web/pullrequests?state=BOGUS', undefined, 400],
      ['POST', '/2.0/repositories/acme/web/pullrequests', { title: 'x' }, 400],
      ['POST', '/2.0/repositories/acme/web/pullrequests', '{not json', 400],
      ['POST', '/2.0/repositories/acme/web/commit/deadbeef/statuses/build', { key: 'k', state: 'SUCCESSFUL' }, 404],
      ['POST', `/2.0/repositories/acme/web/commit/${h.sandbox.state.statuses[0]!.commitHash}/statuses/build`, { key: 'k', state: 'GREEN' }, 400],
    ];
    for (const [method, path, body, status] of cases) {
      const res = await h.api(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.json.type).toBe('error');
      expect(typeof res.json.error.message).toBe('string');
    }
  });

  it('answers 401 for missing, wrongly signed, expired or qsh-mismatched tokens', async () => {
    const path = '/2.0/repositories/acme/web/pullrequests';
    expect((await fetch(`${h.url}${path}`)).status).toBe(401);
    const wrong = await h.api('GET', path, undefined, { secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.message).toMatch(/signature/i);
    const expired = await h.api('GET', path, undefined, { iat: Math.floor(Date.now() / 1000) - 3600 });
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toMatch(/expired/i);
    const badQsh = await h.api('GET', path, undefined, { qsh: 'abc' });
    expect(badQsh.status).toBe(401);
    expect(badQsh.json.error.message).toMatch(/qsh/);
    const user = await h.api('GET', '/2.0/user');
    expect(user.status).toBe(401);
  });

  it('answers 403 for another workspace and for a missing scope, with required/granted detail', async () => {
    const { state } = h.sandbox;
    state.workspaces.push({ uuid: '{0e000000-0000-4000-8000-000000000099}', slug: 'globex', name: 'Globex', isPrivate: true, createdOn: state.workspaces[0]!.createdOn, members: ['alice'], admins: ['alice'] });
    state.repositories.push({ ...state.repositories[0]!, uuid: '{0e000000-0000-4000-8000-0000000000a9}', workspaceUuid: '{0e000000-0000-4000-8000-000000000099}', slug: 'portal', name: 'portal' });
    const other = await h.api('GET', '/2.0/repositories/globex/portal');
    expect(other.status).toBe(403);
    expect(other.json.type).toBe('error');

    const narrow = await startHarness({ descriptor: { key: 'narrow-app', scopes: ['repository'] } });
    try {
      const res = await narrow.api('GET', '/2.0/repositories/acme/web/pullrequests');
      expect(res.status).toBe(403);
      expect(res.json).toEqual({
        type: 'error',
        error: { message: 'Your credentials lack one or more required privilege scopes.', detail: { required: ['pullrequest'], granted: ['repository'] } },
      });
      expect((await narrow.api('GET', '/2.0/repositories/acme/web')).status).toBe(200);
    } finally {
      await narrow.close();
    }
  });

  it('creates, approves, requests changes, comments, merges and declines through REST', async () => {
    h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/rest-test', actor: 'bob', message: 'Work' });
    const created = await h.api('POST', '/2.0/repositories/acme/web/pullrequests', {
      title: 'REST test', source: { branch: { name: 'feature/rest-test' } }, reviewers: [{ uuid: h.sandbox.state.users[2]!.uuid }], close_source_branch: true,
    });
    expect(created.status).toBe(201);
    // Connect apps act as their own bot user, not as the person who installed them.
    expect(created.json.author).toMatchObject({ type: 'app_user', display_name: 'Bosun (test)', uuid: h.inst.appUserUuid });
    expect((await h.api('POST', `/2.0/repositories/acme/web/pullrequests/${created.json.id}/approve`)).status).toBe(400);
    // Approve a PR that bob opened: the approval is the app's bot user's.
    const bobs = h.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'Bob work', sourceBranch: 'feature/rest-test', closeSourceBranch: true });
    const id = bobs.id;
    const base = `/2.0/repositories/acme/web/pullrequests/${id}`;
    expect((await h.api('POST', `${base}/approve`)).json).toMatchObject({ type: 'participant', approved: true, state: 'approved' });
    expect((await h.api('DELETE', `${base}/approve`)).status).toBe(204);
    expect((await h.api('POST', `${base}/request-changes`)).json.state).toBe('changes_requested');
    expect((await h.api('DELETE', `${base}/request-changes`)).status).toBe(204);
    expect((await h.api('POST', `${base}/comments`, { content: { raw: 'hello' } })).status).toBe(201);
    const status = await h.api('POST', `/2.0/repositories/acme/web/commit/${created.json.source.commit.hash}/statuses/build`, { key: 'ci', state: 'INPROGRESS', name: 'CI' });
    expect(status.status).toBe(201);
    const again = await h.api('POST', `/2.0/repositories/acme/web/commit/${created.json.source.commit.hash}/statuses/build`, { key: 'ci', state: 'SUCCESSFUL' });
    expect(again.json.state).toBe('SUCCESSFUL');
    expect((await h.api('GET', `${base}/statuses`)).json.values).toHaveLength(1);
    const put = await h.api('PUT', `/2.0/repositories/acme/web/commit/${created.json.source.commit.hash}/statuses/build/ci`, { state: 'FAILED' });
    expect(put.json).toMatchObject({ key: 'ci', state: 'FAILED', name: 'CI' });
    const before = h.sandbox.state.branches.find((b) => b.name === 'main' && b.repoUuid === h.sandbox.state.repositories[0]!.uuid)!.target;
    const merged = await h.api('POST', `${base}/merge`, { merge_strategy: 'merge_commit' });
    expect(merged.json.state).toBe('MERGED');
    expect(merged.json.merge_commit.hash).toMatch(/^[0-9a-f]{12}$/);
    const main = h.sandbox.state.branches.find((b) => b.name === 'main' && b.repoUuid === h.sandbox.state.repositories[0]!.uuid)!;
    expect(main.target).not.toBe(before);
    expect(h.sandbox.state.branches.some((b) => b.name === 'feature/rest-test')).toBe(false);
    expect((await h.api('POST', `${base}/merge`, {})).status).toBe(400);
    expect((await h.api('POST', '/2.0/repositories/acme/web/pullrequests/2/decline', {})).json.state).toBe('DECLINED');
  });
});
