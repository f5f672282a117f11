import { afterEach, describe, expect, it } from 'vitest';
import { verifyHostJwt } from './helpers/fake-app';
import { type Harness, startHarness } from './helpers/setup';

describe('sandbox webhooks', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('delivers pullrequest:approved wrapped, signed, with Bitbucket headers, without blocking the API', async () => {
    h = await startHarness();
    const res = await h.api('POST', '/2.0/repositories/acme/web/pullrequests/1/approve');
    expect(res.status).toBe(200);
    await h.sandbox.idle();
    const hooks = h.app.received.filter((r) => r.path === '/webhook');
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    expect(hook.headers['x-event-key']).toBe('pullrequest:approved');
    expect(hook.headers['x-attempt-number']).toBe('1');
    expect(hook.headers['user-agent']).toBe('Bitbucket-Webhooks/2.0');
    expect(hook.headers['content-type']).toMatch(/application\/json/);
    expect(hook.headers['x-hook-uuid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.headers['x-request-uuid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.headers['x-event-time']).toBeTruthy();
    const claims = verifyHostJwt(hook, h.inst.sharedSecret, h.app.baseUrl);
    expect(claims).toMatchObject({ iss: h.inst.clientKey, aud: [h.inst.clientKey] });
    expect(hook.body.event).toBe('pullrequest:approved');
    const data = hook.body.data as any;
    expect(data.actor).toMatchObject({ type: 'app_user', uuid: h.inst.appUserUuid, display_name: 'Bosun (test)' });
    expect(data.repository).toMatchObject({ type: 'repository', full_name: 'acme/web' });
    expect(data.pullrequest).toMatchObject({ type: 'pullrequest', id: 1 });
    expect(data.pullrequest.source.commit.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(data.approval.user.uuid).toBe(h.inst.appUserUuid);
    expect(h.sandbox.deliveries).toMatchObject([{ event: 'pullrequest:approved', attempt: 1, status: 200 }]);
  });

  it('retries after a 500 with the same X-Request-UUID and increasing X-Attempt-Number', async () => {
    h = await startHarness();
    h.app.webhookStatuses.push(500);
    await h.api('POST', '/2.0/repositories/acme/web/pullrequests/2/approve');
    await h.sandbox.idle();
    const hooks = h.app.received.filter((r) => r.path === '/webhook');
    expect(hooks.map((r) => r.headers['x-attempt-number'])).toEqual(['1', '2']);
    expect(hooks[0]!.headers['x-request-uuid']).toBe(hooks[1]!.headers['x-request-uuid']);
    expect(hooks[0]!.headers['x-hook-uuid']).toBe(hooks[1]!.headers['x-hook-uuid']);
    expect(h.sandbox.deliveries.map((d) => d.status)).toEqual([500, 200]);
  });

  it('gives up after 3 attempts and records each one', async () => {
    h = await startHarness();
    h.app.webhookStatuses.push(500, 502, 503);
    h.sandbox.actions.approve({ workspace: 'acme', repo: 'web', id: 3 }, 'carol');
    await h.sandbox.idle();
    expect(h.sandbox.deliveries.map((d) => [d.attempt, d.status])).toEqual([[1, 500], [2, 502], [3, 503]]);
  });

  it('only delivers subscribed events the scopes allow, and commit statuses as repo:commit_status_*', async () => {
    h = await startHarness({ descriptor: { scopes: ['repository'] } });
    h.sandbox.actions.approve({ workspace: 'acme', repo: 'web', id: 3 }, 'carol');
    const pr = h.sandbox.state.pullRequests[0]!;
    h.sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit: pr.source.hash, actor: 'bob', key: 'new-key', state: 'INPROGRESS' });
    await h.sandbox.idle();
    const events = h.app.received.filter((r) => r.path === '/webhook').map((r) => r.headers['x-event-key']);
    expect(events).toEqual(['repo:commit_status_created']);
    const data = h.app.received.find((r) => r.path === '/webhook')!.body.data as any;
    expect(data.commit_status).toMatchObject({ type: 'build', key: 'new-key', state: 'INPROGRESS' });
    expect(data.commit_status.commit.hash).toMatch(/^[0-9a-f]{40}$/);
  });
});
