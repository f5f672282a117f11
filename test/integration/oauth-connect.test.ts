import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginConnect, callApi, connectUser, consent, finishConnect, sandboxUser, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

describe.each(testDatabaseKinds())('connecting a Bitbucket account (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind, oauth: {} });
  });
  afterAll(async () => stack.close());

  const settings = (nickname: string) => callApi(stack, sessionFor(stack, nickname), 'GET', '/api/personal-settings');

  it('connects, shows the profile, acts as the user, and disconnects', async () => {
    expect((await settings('bob')).json.connection.status).toBe('not_connected');
    await connectUser(stack, 'bob');
    const view = (await settings('bob')).json;
    const bob = sandboxUser(stack, 'bob');
    expect(view.connection).toMatchObject({ status: 'connected', displayName: bob.displayName, nickname: 'bob' });
    expect(view.connection.email).toContain('@');
    expect(view.connection.scopes).toContain('pullrequest:write');

    // PR #2 of acme/web is Carol's; Bob approves it as himself.
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const approve = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'POST', '/api/pr-panel/approve', { repoUuid: web.uuid, prId: 2, idempotencyKey: randomUUID() });
    expect(approve.status, JSON.stringify(approve.json)).toBe(202);
    // The button is a trigger like any other: a job runs it through the executor, as Bob.
    const job = await waitFor(async () => {
      const view = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'GET', `/api/agent/jobs/${approve.json.jobId}`);
      return view.json.done ? view.json : null;
    }, 'the approve job');
    expect(job.audit).toMatchObject({ outcome: 'succeeded', tools: ['pullRequest.approve'], actor: { userUuid: bob.uuid } });
    const pr = stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === 2)!;
    expect(pr.participants.find((p) => p.userUuid === bob.uuid)?.approved).toBe(true);

    const disconnect = await callApi(stack, sessionFor(stack, 'bob'), 'DELETE', '/api/oauth/connection');
    expect(disconnect.json).toMatchObject({ disconnected: true, revokeUrl: `${stack.sandboxUrl}/account/settings/app-authorizations/` });
    expect((await settings('bob')).json.connection.status).toBe('not_connected');
    const audit = await stack.bosun.services.automation.audit.list(stack.installation.clientKey, { tool: 'account.disconnect' });
    expect(audit.entries).toMatchObject([{ outcome: 'succeeded', actor: { userUuid: bob.uuid } }]);
    const again = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'POST', '/api/pr-panel/unapprove', { repoUuid: web.uuid, prId: 2, idempotencyKey: randomUUID() });
    expect(again.status).toBe(403);
    expect(again.json.error.connect).toEqual({ reason: 'not_connected', requiredScopes: ['pullrequest:write'] });
  });

  it('keeps tokens out of the database in plaintext and out of the logs', async () => {
    await connectUser(stack, 'dave');
    const issued = stack.sandbox.oauth.state.accessTokens.map((t) => t.token);
    const refresh = stack.sandbox.oauth.state.refreshTokens.map((t) => t.token);
    expect(issued.length).toBeGreaterThan(0);
    const [rows] = await stack.bosun.services.db.sequelize.query('SELECT * FROM user_connections');
    const dump = JSON.stringify(rows);
    for (const token of [...issued, ...refresh]) expect(dump).not.toContain(token);
    const logs = stack.bosun.logLines.join('\n');
    for (const token of [...issued, ...refresh]) expect(logs).not.toContain(token);
    if (kind === 'sqlite') {
      await stack.bosun.services.db.sequelize.query('PRAGMA wal_checkpoint(FULL)');
      const file = readFileSync(stack.bosun.database.url.slice('sqlite:'.length));
      for (const token of [...issued, ...refresh]) expect(file.includes(Buffer.from(token))).toBe(false);
    }
  });

  it('refuses a replayed state, and a state carried to another browser', async () => {
    const { authorizeUrl, cookie } = await beginConnect(stack, 'carol');
    const callback = await consent(authorizeUrl, 'carol');
    // Someone else's browser (no cookie) gets the link: refused, and the state is spent.
    const stolen = await finishConnect(callback, null);
    expect(stolen.status).toBe(400);
    expect(stolen.html).toContain('started by someone else');
    const replay = await finishConnect(callback, cookie);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('already used');
    expect((await settings('carol')).json.connection.status).toBe('not_connected');
  });

  it('refuses a tampered state, and a cookie from another flow', async () => {
    const first = await beginConnect(stack, 'carol');
    const second = await beginConnect(stack, 'carol');
    const callback = await consent(first.authorizeUrl, 'carol');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    expect((await finishConnect(tampered, first.cookie)).status).toBe(400);
    expect((await finishConnect(callback, second.cookie)).status).toBe(400);
  });

  it('refuses a callback where the Bitbucket account is not the Bosun user who started', async () => {
    const { authorizeUrl, cookie } = await beginConnect(stack, 'carol');
    // Carol started in Bosun, but Bitbucket's consent was given as Alice.
    const callback = await consent(authorizeUrl, 'alice');
    const result = await finishConnect(callback, cookie);
    expect(result.status).toBe(400);
    expect(result.html).toContain('another Bitbucket user');
    expect((await settings('carol')).json.connection.status).toBe('not_connected');
  });

  it('says so when the person cancels, and when the code is wrong or reused', async () => {
    const denied = await beginConnect(stack, 'carol');
    const deniedCallback = await consent(denied.authorizeUrl, 'carol', 'deny');
    const cancel = await finishConnect(deniedCallback, denied.cookie);
    expect(cancel.status).toBe(400);
    expect(cancel.html).toContain('cancelled');

    const wrong = await beginConnect(stack, 'carol');
    const wrongCallback = await consent(wrong.authorizeUrl, 'carol');
    wrongCallback.searchParams.set('code', 'not-a-real-code');
    const bad = await finishConnect(wrongCallback, wrong.cookie);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('invalid_grant');
  });

  it('an expired state is refused', async () => {
    const { authorizeUrl, cookie } = await beginConnect(stack, 'carol');
    const callback = await consent(authorizeUrl, 'carol');
    await stack.bosun.services.db.sequelize.query('UPDATE oauth_states SET expires_at = ?', { replacements: [new Date(Date.now() - 1000)] });
    const result = await finishConnect(callback, cookie);
    expect(result.status).toBe(400);
    expect(result.html).toContain('expired');
  });

  it('refuses to start without a viewer, and for pages that may not start it', async () => {
    const admin = await callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), 'POST', '/api/oauth/start', {});
    expect(admin.status).toBe(401);
    const res = await fetch(`${stack.bosun.url}/oauth/start?ticket=forged`);
    expect(res.status).toBe(400);
  });
  it('uninstalling removes every connection of the tenant', async () => {
    await connectUser(stack, 'carol');
    expect(await stack.bosun.services.db.models.UserConnection.count({ where: { clientKey: stack.installation.clientKey } })).toBeGreaterThan(0);
    await stack.sandbox.uninstall(stack.installation.clientKey);
    expect(await stack.bosun.services.db.models.UserConnection.count({ where: { clientKey: stack.installation.clientKey } })).toBe(0);
    expect(await stack.bosun.services.db.models.OAuthState.count({ where: { clientKey: stack.installation.clientKey } })).toBe(0);
  });
});
