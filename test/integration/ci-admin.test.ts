/**
 * CI integrations end to end in a whole Bosun with its worker: an admin creates one in admin
 * settings (endpoint, secret once, snippet), a CI posts to the endpoint, the worker reports the
 * status to the sandbox, the delivery shows in the list; rotation retires the old secret; a
 * non-admin is refused.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { waitFor } from '../helpers/wait-for';
import { readCiFixture } from '../server/ci/ci-fixtures';

describe('CI integrations in admin settings', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack.close());

  const admin = (method: string, path: string, body?: unknown) => callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), method, path, body);

  it('creates, receives, lists its deliveries, rotates and deletes an integration', async () => {
    const created = await admin('POST', '/api/admin/ci-integrations', { provider: 'jenkins', name: 'Jenkins', repository: 'acme/web' });
    expect(created.status).toBe(200);
    const { id, secret, endpointUrl, snippet } = created.json;
    expect(endpointUrl).toBe(`${stack.bosun.url}/ci/jenkins/${id}`);
    expect(snippet).toContain(endpointUrl);
    expect(snippet).toContain(secret);

    const listed = await admin('GET', '/api/admin/ci-integrations');
    expect(listed.json.integrations).toEqual([expect.objectContaining({ id, provider: 'jenkins', repository: 'acme/web' })]);
    expect(JSON.stringify(listed.json)).not.toContain(secret);

    const commit = stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'web', branch: 'ci/admin-e2e', actor: 'bob', message: 'Work' }).hash;
    const body = readCiFixture('jenkins/completed-unstable.json').replaceAll('8d3f1c2b7a6e5d4c3b2a19f8e7d6c5b4a3928170', commit);
    const res = await fetch(endpointUrl, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(202);
    const status = await waitFor(() => stack.sandbox.state.statuses.find((s) => s.commitHash === commit), 'the Jenkins status on the commit', 10_000);
    expect(status).toMatchObject({ state: 'FAILED', url: 'https://jenkins.example.com/job/widgets-build/57/' });
    const after = await admin('GET', '/api/admin/ci-integrations');
    expect(after.json.integrations[0].lastDeliveries[0]).toMatchObject({ outcome: 'accepted', commit, repository: 'acme/web' });

    const rotated = await admin('POST', `/api/admin/ci-integrations/${id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(secret);
    const signed = (key: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
    const old = await fetch(endpointUrl, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-bosun-signature': signed(secret) } });
    expect(old.status).toBe(401);

    expect((await admin('DELETE', `/api/admin/ci-integrations/${id}`)).status).toBe(200);
    expect((await admin('GET', '/api/admin/ci-integrations')).json.integrations).toEqual([]);
    const gone = await fetch(endpointUrl, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-bosun-signature': signed(rotated.json.secret) } });
    expect(gone.status).toBe(404);
  });

  it('refuses people who do not administer the workspace', async () => {
    const bob = await callApi(stack, sessionFor(stack, 'bob', 'admin-settings'), 'POST', '/api/admin/ci-integrations', { provider: 'generic', name: 'x', repository: null });
    expect(bob.status).toBe(403);
    const panel = await callApi(stack, sessionFor(stack, 'alice', 'pr-panel'), 'GET', '/api/admin/ci-integrations');
    // A PR panel's session is bound to its page: refused before any admin check.
    expect(panel.status).toBe(401);
    expect(panel.json.error.code).toBe('SESSION_SCOPE');
  });
});
