import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOpenApiValidator } from './helpers/openapi-validator';
import { ALL_SCOPES, type Harness, startHarness } from './helpers/setup';

const spec = loadOpenApiValidator();
const WEB = '/2.0/repositories/acme/web';

describe('sandbox repository settings', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('default reviewers: PUT adds, GET one/list, effective list, DELETE removes', async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES } });
    const carol = h.sandbox.state.users.find((u) => u.nickname === 'carol')!;
    const put = await h.api('PUT', `${WEB}/default-reviewers/${encodeURIComponent(carol.uuid)}`);
    expect(put.status).toBe(200);
    expect(spec.validate('account', put.json)).toEqual([]);
    expect(put.json.uuid).toBe(carol.uuid);
    const list = await h.api('GET', `${WEB}/default-reviewers`);
    expect(spec.validate('paginated_accounts', list.json)).toEqual([]);
    expect(list.json.values.map((u: any) => u.nickname)).toEqual(['carol']);
    expect((await h.api('GET', `${WEB}/default-reviewers/carol`)).status).toBe(200);
    expect((await h.api('GET', `${WEB}/default-reviewers/bob`)).status).toBe(404);
    const effective = await h.api('GET', `${WEB}/effective-default-reviewers`);
    expect(spec.validate('paginated_default_reviewer_and_type', effective.json)).toEqual([]);
    expect(effective.json.values[0]).toMatchObject({ type: 'default_reviewer', reviewer_type: 'repository', user: { uuid: carol.uuid } });
    expect((await h.api('PUT', `${WEB}/default-reviewers/${encodeURIComponent(h.inst.appUserUuid)}`)).status).toBe(400);
    expect((await h.api('PUT', `${WEB}/default-reviewers/nobody`)).status).toBe(404);
    expect((await h.api('DELETE', `${WEB}/default-reviewers/carol`)).status).toBe(204);
    expect((await h.api('DELETE', `${WEB}/default-reviewers/carol`)).status).toBe(404);
    const narrow = await startHarness({ descriptor: { key: 'narrow', scopes: ['pullrequest'] } });
    try {
      expect((await narrow.api('GET', `${WEB}/default-reviewers`)).status).toBe(403);
      expect((await narrow.api('GET', `${WEB}/effective-default-reviewers`)).status).toBe(200);
    } finally {
      await narrow.close();
    }
  });

  it('branch restrictions: POST, GET list with kind filter, GET, PUT, DELETE', async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES } });
    const created = await h.api('POST', `${WEB}/branch-restrictions`, { kind: 'require_approvals_to_merge', branch_match_kind: 'glob', pattern: 'release/*', value: 2 });
    expect(created.status).toBe(201);
    expect(spec.validate('branchrestriction', created.json)).toEqual([]);
    expect(created.json).toMatchObject({ type: 'branchrestriction', kind: 'require_approvals_to_merge', pattern: 'release/*', value: 2 });
    const push = await h.api('POST', `${WEB}/branch-restrictions`, { kind: 'push', branch_match_kind: 'branching_model', branch_type: 'production', users: [{ nickname: 'alice' }] });
    expect(push.json.users[0].nickname).toBe('alice');
    expect(spec.validate('branchrestriction', push.json)).toEqual([]);
    const list = await h.api('GET', `${WEB}/branch-restrictions?kind=push`);
    expect(spec.validate('paginated_branchrestrictions', list.json)).toEqual([]);
    expect(list.json.values.map((r: any) => r.id)).toEqual([push.json.id]);
    expect((await h.api('GET', `${WEB}/branch-restrictions/${created.json.id}`)).json.value).toBe(2);
    const put = await h.api('PUT', `${WEB}/branch-restrictions/${created.json.id}`, { value: 3 });
    expect(put.json).toMatchObject({ id: created.json.id, value: 3, pattern: 'release/*' });
    expect((await h.api('POST', `${WEB}/branch-restrictions`, { kind: 'nope', branch_match_kind: 'glob', pattern: '*' })).status).toBe(400);
    expect((await h.api('POST', `${WEB}/branch-restrictions`, { kind: 'push', branch_match_kind: 'branching_model' })).status).toBe(400);
    expect((await h.api('DELETE', `${WEB}/branch-restrictions/${created.json.id}`)).status).toBe(204);
    expect((await h.api('GET', `${WEB}/branch-restrictions/${created.json.id}`)).status).toBe(404);
  });

  it('a delete restriction protects the branch from DELETE', async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES } });
    await h.api('POST', `${WEB}/branch-restrictions`, { kind: 'delete', branch_match_kind: 'branching_model', branch_type: 'feature' });
    expect((await h.api('DELETE', `${WEB}/refs/branches/${encodeURIComponent('feature/login-form')}`)).status).toBe(403);
    expect((await h.api('DELETE', `${WEB}/refs/branches/${encodeURIComponent('bugfix/header-overflow')}`)).status).toBe(204);
  });

  it('repository webhooks: CRUD, and deliveries are unwrapped with X-Event-Key and X-Hub-Signature', async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES } });
    const url = `${h.app.baseUrl}/repo-hook`;
    const created = await h.api('POST', `${WEB}/hooks`, { description: 'CI', url, active: true, events: ['pullrequest:approved', 'repo:push'], secret: 's3cret' });
    expect(created.status).toBe(201);
    expect(spec.validate('webhook_subscription', created.json)).toEqual([]);
    expect(created.json).toMatchObject({ type: 'webhook_subscription', subject_type: 'repository', active: true, secret_set: true });
    expect(created.json.secret).toBeUndefined();
    const uid = created.json.uuid as string;
    expect(uid).toMatch(/^\{[0-9a-f-]{36}\}$/);
    const list = await h.api('GET', `${WEB}/hooks`);
    expect(spec.validate('paginated_webhook_subscriptions', list.json)).toEqual([]);
    expect(list.json.values).toHaveLength(1);
    expect((await h.api('GET', `${WEB}/hooks/${encodeURIComponent(uid)}`)).json.url).toBe(url);
    expect((await h.api('POST', `${WEB}/hooks`, { url, events: ['not:an-event'] })).status).toBe(400);

    await h.api('POST', `${WEB}/pullrequests/2/approve`);
    await h.sandbox.idle();
    const hook = h.app.received.find((r) => r.path === '/repo-hook')!;
    expect(hook.headers['x-event-key']).toBe('pullrequest:approved');
    expect(hook.headers['x-hook-uuid']).toBe(uid.slice(1, -1));
    expect(hook.headers.authorization).toBeUndefined();
    expect(hook.body.event).toBeUndefined();
    expect(hook.body).toMatchObject({ pullrequest: { id: 2 }, repository: { full_name: 'acme/web' }, approval: {} });
    const expected = `sha256=${createHmac('sha256', 's3cret').update(JSON.stringify(hook.body)).digest('hex')}`;
    expect(hook.headers['x-hub-signature']).toBe(expected);
    expect(h.sandbox.deliveries.find((d) => d.kind === 'repository')).toMatchObject({ event: 'pullrequest:approved', status: 204 });

    const put = await h.api('PUT', `${WEB}/hooks/${encodeURIComponent(uid)}`, { active: false, secret: null });
    expect(put.json).toMatchObject({ active: false, secret_set: false });
    await h.api('DELETE', `${WEB}/pullrequests/2/approve`);
    await h.sandbox.idle();
    expect(h.app.received.filter((r) => r.path === '/repo-hook')).toHaveLength(1);
    expect((await h.api('DELETE', `${WEB}/hooks/${encodeURIComponent(uid.slice(1, -1))}`)).status).toBe(204);
    expect((await h.api('GET', `${WEB}/hooks/${encodeURIComponent(uid)}`)).status).toBe(404);
  });
});

describe('sandbox push restrictions', () => {
  it('a push restriction refuses pushes by users it does not list', async () => {
    const h = await startHarness({ descriptor: { scopes: ALL_SCOPES } });
    try {
      await h.api('POST', `${WEB}/branch-restrictions`, { kind: 'push', branch_match_kind: 'glob', pattern: 'main', users: [{ nickname: 'alice' }] });
      expect(() => h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'main', actor: 'bob', message: 'nope' })).toThrow(/restricted/);
      expect(h.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'main', actor: 'alice', message: 'ok' }).hash).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      await h.close();
    }
  });
});
