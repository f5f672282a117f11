import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReconnectRequiredError } from '../../server/auth';
import { createServices, type Services } from '../../server/create-services';
import { createLogger } from '../../server/log';
import { callApi, connectUser, sandboxUser, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

describe.each(testDatabaseKinds())('token refresh (%s)', (kind) => {
  let stack: RunningStack;
  let second: Services;
  let refreshes = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    if (String(input).endsWith('/site/oauth2/access_token') && String(init?.body ?? '').includes('grant_type=refresh_token')) refreshes += 1;
    return fetch(input, init);
  };

  beforeAll(async () => {
    stack = await startStack({ database: kind, oauth: { accessTokenTtlSeconds: 3600 }, fetch: countingFetch });
    // A second Bosun process on the same database and key.
    second = await createServices(stack.bosun.config, createLogger({ level: 'silent' }), { fetch: countingFetch, schema: stack.bosun.database.schema });
    await connectUser(stack, 'bob');
  });
  afterAll(async () => {
    await second?.close();
    await stack.close();
  });

  const bob = () => sandboxUser(stack, 'bob');
  const tenant = () => ({ clientKey: stack.installation.clientKey, baseUrl: stack.sandboxUrl });
  const expireAccessToken = () =>
    stack.bosun.services.db.sequelize.query('UPDATE user_connections SET access_expires_at = ? WHERE user_uuid = ?', {
      replacements: [new Date(Date.now() - 1000), bob().uuid],
    });

  it('20 concurrent callers in two processes trigger exactly one refresh, and all get the new token', async () => {
    await expireAccessToken();
    refreshes = 0;
    const callers = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? stack.bosun.services.deps.vault : second.deps.vault).getAccessToken(tenant(), bob().uuid),
    );
    const tokens = await Promise.all(callers);
    expect(refreshes).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    const live = stack.sandbox.oauth.state.accessTokens.find((t) => t.token === tokens[0]);
    expect(live).toBeDefined();
  });

  it('persists the rotated refresh token, so the next refresh works too', async () => {
    const before = stack.sandbox.oauth.state.refreshTokens.length;
    await expireAccessToken();
    refreshes = 0;
    const token = await stack.bosun.services.deps.vault.getAccessToken(tenant(), bob().uuid);
    expect(refreshes).toBe(1);
    expect(stack.sandbox.oauth.state.accessTokens.some((t) => t.token === token)).toBe(true);
    // Rotation: one refresh token alive for Bob, not one per refresh.
    expect(stack.sandbox.oauth.state.refreshTokens.length).toBe(before);
  });

  it('a revoked refresh token marks the connection "needs reconnect", and the UI and actions say so', async () => {
    stack.sandbox.oauth.revoke('bob', 'bosun-test-consumer');
    await expireAccessToken();
    await expect(stack.bosun.services.deps.vault.getAccessToken(tenant(), bob().uuid)).rejects.toBeInstanceOf(ReconnectRequiredError);
    const view = await callApi(stack, sessionFor(stack, 'bob'), 'GET', '/api/personal-settings');
    expect(view.json.connection.status).toBe('needs_reconnect');
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const approve = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'POST', '/api/pr-panel/approve', { repoUuid: web.uuid, prId: 3, idempotencyKey: randomUUID() });
    expect(approve.status).toBe(403);
    expect(approve.json.error.connect.reason).toBe('needs_reconnect');
    // Reconnecting heals it.
    await connectUser(stack, 'bob');
    expect((await callApi(stack, sessionFor(stack, 'bob'), 'GET', '/api/personal-settings')).json.connection.status).toBe('connected');
  });

  it('asks for more permissions when the consumer lacks a scope the action needs', async () => {
    await stack.bosun.services.db.sequelize.query("UPDATE user_connections SET scopes = 'account email' WHERE user_uuid = ?", { replacements: [bob().uuid] });
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const approve = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'POST', '/api/pr-panel/approve', { repoUuid: web.uuid, prId: 3, idempotencyKey: randomUUID() });
    expect(approve.status).toBe(403);
    expect(approve.json.error.connect).toEqual({ reason: 'missing_scopes', requiredScopes: ['pullrequest:write'] });
  });

  it('a refresh refused while the job runs comes back to the panel as a Connect prompt', async () => {
    await stack.bosun.services.db.sequelize.query("UPDATE user_connections SET scopes = 'account email pullrequest:write repository:write' WHERE user_uuid = ?", { replacements: [bob().uuid] });
    stack.sandbox.oauth.revoke('bob', 'bosun-test-consumer');
    await expireAccessToken();
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    // The connection still looks fine, so the request is accepted and the job finds out.
    const approve = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'POST', '/api/pr-panel/approve', { repoUuid: web.uuid, prId: 3, idempotencyKey: randomUUID() });
    expect(approve.status).toBe(202);
    const job = await waitFor(async () => {
      const view = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'GET', `/api/agent/jobs/${approve.json.jobId}`);
      return view.json.done ? view.json : null;
    }, 'the approve job');
    expect(job.connect).toEqual({ reason: 'not_connected', requiredScopes: ['pullrequest:write'] });
    expect(job.audit.outcome).not.toBe('succeeded');
    const view = await callApi(stack, sessionFor(stack, 'bob'), 'GET', '/api/personal-settings');
    expect(view.json.connection.status).toBe('needs_reconnect');
  });
});
