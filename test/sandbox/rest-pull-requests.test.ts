import { afterEach, describe, expect, it } from 'vitest';
import { loadOpenApiValidator } from './helpers/openapi-validator';
import { ALL_SCOPES, type Harness, startHarness } from './helpers/setup';

const spec = loadOpenApiValidator();
const WEB = '/2.0/repositories/acme/web';
const ALL_EVENTS = ['pullrequest:updated', 'pullrequest:comment_created', 'pullrequest:comment_updated', 'pullrequest:comment_deleted', 'pullrequest:changes_request_removed', 'pullrequest:created'];

/** pullrequest_comment_task closes both halves of its allOf; only `task` (without links/comment) can validate. */
function validateTask(value: Record<string, unknown>): string[] {
  const { links: _links, comment: _comment, ...task } = value;
  return spec.validate('task', task);
}

describe('sandbox pull request endpoints', () => {
  let h: Harness;
  afterEach(async () => h?.close());
  const start = () => startHarness({ descriptor: { scopes: ALL_SCOPES, modules: { webhooks: ALL_EVENTS.map((event) => ({ event, url: '/webhook' })) } } });
  const events = async () => {
    await h.sandbox.idle();
    return h.app.received.filter((r) => r.path === '/webhook').map((r) => r.headers['x-event-key']);
  };

  it('PUT updates title, description, destination, reviewers, close_source_branch, draft and fires pullrequest:updated', async () => {
    h = await start();
    h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'develop', actor: 'alice', message: 'Develop' });
    const dave = h.sandbox.state.users.find((u) => u.nickname === 'dave')!;
    const res = await h.api('PUT', `${WEB}/pullrequests/1`, {
      title: 'Login form v2', description: 'Now with tests', destination: { branch: { name: 'develop' } },
      reviewers: [{ uuid: dave.uuid }, { account_id: h.sandbox.state.users[0]!.accountId }], close_source_branch: true, draft: true,
    });
    expect(res.status).toBe(200);
    expect(spec.validate('pullrequest', res.json)).toEqual([]);
    expect(res.json).toMatchObject({ title: 'Login form v2', description: 'Now with tests', close_source_branch: true, draft: true, destination: { branch: { name: 'develop' } } });
    expect(res.json.reviewers.map((r: any) => r.nickname).sort()).toEqual(['alice', 'dave']);
    // carol approved before: she stays as a participant with her approval.
    expect(res.json.participants.find((p: any) => p.user.nickname === 'carol')).toMatchObject({ role: 'PARTICIPANT', approved: true });
    expect(await events()).toEqual(['pullrequest:updated']);
    expect((await h.api('PUT', `${WEB}/pullrequests/1`, { destination: { branch: { name: 'nope' } } })).status).toBe(400);
    expect((await h.api('PUT', `${WEB}/pullrequests/4`, { title: 'merged already' })).status).toBe(400);
    expect((await h.api('PUT', `${WEB}/pullrequests/99`, { title: 'x' })).status).toBe(404);
  });

  it('adds default reviewers to a PR created without reviewers', async () => {
    h = await start();
    expect((await h.api('PUT', `${WEB}/default-reviewers/carol`)).status).toBe(200);
    expect((await h.api('PUT', `${WEB}/default-reviewers/bob`)).status).toBe(200);
    h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'feature/dr', actor: 'bob', message: 'Work' });
    const pr = h.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'DR', sourceBranch: 'feature/dr' });
    const got = await h.api('GET', `${WEB}/pullrequests/${pr.id}`);
    expect(got.json.reviewers.map((r: any) => r.nickname)).toEqual(['carol']);
    const explicit = h.sandbox.actions.createPullRequest({ workspace: 'acme', repo: 'web', actor: 'bob', title: 'DR2', sourceBranch: 'feature/dr', reviewers: ['dave'] });
    expect(explicit.reviewerUuids).toHaveLength(1);
  });

  it('GET/PUT/DELETE a comment: only the author edits; updated and deleted fire webhooks', async () => {
    h = await start();
    const created = await h.api('POST', `${WEB}/pullrequests/1/comments`, { content: { raw: 'First' }, inline: { path: 'README.md', to: 1 } });
    expect(created.status).toBe(201);
    expect(spec.validate('pullrequest_comment', created.json)).toEqual([]);
    const id = created.json.id;
    const reply = await h.api('POST', `${WEB}/pullrequests/1/comments`, { content: { raw: 'Reply' }, parent: { id } });
    expect(reply.json.parent.id).toBe(id);
    const got = await h.api('GET', `${WEB}/pullrequests/1/comments/${id}`);
    expect(got.json).toMatchObject({ id, content: { raw: 'First' }, inline: { path: 'README.md', to: 1 }, deleted: false });
    expect(spec.validate('pullrequest_comment', got.json)).toEqual([]);
    const put = await h.api('PUT', `${WEB}/pullrequests/1/comments/${id}`, { content: { raw: 'Edited' } });
    expect(put.status).toBe(200);
    expect(put.json.content.raw).toBe('Edited');
    const carols = h.sandbox.state.comments.find((c) => c.raw === 'Looks good to me.')!;
    expect((await h.api('PUT', `${WEB}/pullrequests/1/comments/${carols.id}`, { content: { raw: 'hijack' } })).status).toBe(403);
    expect((await h.api('DELETE', `${WEB}/pullrequests/1/comments/${id}`)).status).toBe(204);
    const deleted = await h.api('GET', `${WEB}/pullrequests/1/comments/${id}`);
    expect(deleted.json).toMatchObject({ deleted: true, content: { raw: '' } });
    expect((await h.api('DELETE', `${WEB}/pullrequests/1/comments/${id}`)).status).toBe(404);
    expect((await h.api('GET', `${WEB}/pullrequests/1/comments/123`)).status).toBe(404);
    expect(await events()).toEqual(['pullrequest:comment_created', 'pullrequest:comment_created', 'pullrequest:comment_updated', 'pullrequest:comment_deleted']);
  });

  it('lists activity, PR commits and redirects diffstat to the repository diffstat', async () => {
    h = await start();
    await h.api('POST', `${WEB}/pullrequests/1/approve`);
    const activity = await h.api('GET', `${WEB}/pullrequests/1/activity`);
    expect(activity.status).toBe(200);
    const kinds = activity.json.values.map((v: any) => Object.keys(v).find((k) => k !== 'pull_request'));
    expect(kinds).toEqual(['approval', 'approval', 'comment', 'update']);
    expect(activity.json.values[0].approval.user.type).toBe('app_user');
    expect(activity.json.values.every((v: any) => v.pull_request.id === 1)).toBe(true);
    const commits = await h.api('GET', `${WEB}/pullrequests/1/commits`);
    expect(spec.validate('paginated_changeset', commits.json)).toEqual([]);
    expect(commits.json.values.map((c: any) => c.message.trim())).toEqual(['Validate email field', 'Add login form']);
    const redirect = await h.api('GET', `${WEB}/pullrequests/1/diffstat`);
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location')!);
    expect(location.pathname).toMatch(/^\/2\.0\/repositories\/acme\/web\/diffstat\/[0-9a-f]{40}\.\.[0-9a-f]{40}$/);
    expect(location.searchParams.get('topic')).toBe('true');
    const diffstat = await h.api('GET', `${location.pathname}${location.search}`);
    expect(diffstat.status).toBe(200);
    expect(spec.validate('paginated_diffstats', diffstat.json)).toEqual([]);
    expect(diffstat.json.values).toEqual([expect.objectContaining({ type: 'diffstat', status: 'added', lines_added: 3, lines_removed: 0, new: expect.objectContaining({ path: 'notes/feature-login-form.md' }) })]);
  });

  it('creates, lists, gets, resolves and deletes tasks', async () => {
    h = await start();
    const list = await h.api('GET', `${WEB}/pullrequests/1/tasks`);
    expect(list.json.values).toHaveLength(1);
    for (const t of list.json.values) expect(validateTask(t)).toEqual([]);
    const created = await h.api('POST', `${WEB}/pullrequests/1/tasks`, { content: { raw: 'Update the docs' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(created.json.links.self.href);
    expect(validateTask(created.json)).toEqual([]);
    expect(created.json).toMatchObject({ state: 'UNRESOLVED', content: { raw: 'Update the docs' }, creator: { type: 'app_user' } });
    expect((await h.api('GET', `${WEB}/pullrequests/1`)).json.task_count).toBe(2);
    const resolved = await h.api('PUT', `${WEB}/pullrequests/1/tasks/${created.json.id}`, { state: 'RESOLVED' });
    expect(resolved.json).toMatchObject({ state: 'RESOLVED', resolved_by: { type: 'app_user' } });
    expect(validateTask(resolved.json)).toEqual([]);
    expect((await h.api('GET', `${WEB}/pullrequests/1/tasks/${created.json.id}`)).json.state).toBe('RESOLVED');
    expect((await h.api('GET', `${WEB}/pullrequests/1/tasks?q=${encodeURIComponent('state="UNRESOLVED"')}`)).json.values).toHaveLength(1);
    expect((await h.api('POST', `${WEB}/pullrequests/1/tasks`, { content: { raw: '  ' } })).status).toBe(400);
    expect((await h.api('DELETE', `${WEB}/pullrequests/1/tasks/${created.json.id}`)).status).toBe(204);
    expect((await h.api('GET', `${WEB}/pullrequests/1/tasks/${created.json.id}`)).status).toBe(404);
  });

  it('DELETE request-changes withdraws the app user\'s change request', async () => {
    h = await start();
    expect((await h.api('DELETE', `${WEB}/pullrequests/2/request-changes`)).status).toBe(404);
    expect((await h.api('POST', `${WEB}/pullrequests/2/request-changes`)).json.state).toBe('changes_requested');
    expect((await h.api('DELETE', `${WEB}/pullrequests/2/request-changes`)).status).toBe(204);
    expect(await events()).toEqual(['pullrequest:changes_request_removed']);
  });
});
