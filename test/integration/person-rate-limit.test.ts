import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, connectUser, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';

describe.each(testDatabaseKinds())('honest audit and per-person limits on changes (%s)', (kind) => {
  let stack: RunningStack;
  // Bosun's clock stands still unless a test moves it: the window cannot run out because the machine is slow.
  const clockStart = Date.now();
  let offsetMs = 0;
  beforeAll(async () => {
    stack = await startStack({ database: kind, oauth: {}, now: () => new Date(clockStart + offsetMs) });
  });
  afterAll(async () => stack.close());

  const disconnect = (nickname: string) => callApi(stack, sessionFor(stack, nickname), 'DELETE', '/api/oauth/connection');
  const disconnectEntries = async () =>
    (await stack.bosun.services.automation.audit.list(stack.installation.clientKey, { tool: 'account.disconnect' })).total;

  it('a disconnect that deleted nothing writes no audit entry; one that deleted tokens writes one', async () => {
    const noop = await disconnect('dave');
    expect(noop.status).toBe(200);
    expect(noop.json.disconnected).toBe(false);
    expect(await disconnectEntries()).toBe(0);

    await connectUser(stack, 'dave');
    const real = await disconnect('dave');
    expect(real.json.disconnected).toBe(true);
    expect(await disconnectEntries()).toBe(1);
    expect((await disconnect('dave')).json.disconnected).toBe(false);
    expect(await disconnectEntries()).toBe(1);
  });

  it('the 31st change in a minute from one person is 429 with Retry-After; another person is unaffected', async () => {
    offsetMs += 120_000; // a fresh window for everyone
    for (let i = 1; i <= 30; i += 1) {
      const res = await disconnect('bob');
      expect(res.status, `request ${i}`).toBe(200);
    }
    const refused = await fetch(`${stack.bosun.url}/api/oauth/connection`, { method: 'DELETE', headers: { authorization: `Bearer ${sessionFor(stack, 'bob')}` } });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(body.error.message).toContain('try again in');

    // One budget per person across every state-changing route (here: Ask Bosun from a PR panel).
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const plan = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'POST', '/api/agent/plan', { text: 'approve', repoUuid: web.uuid, prId: 1 });
    expect(plan.status).toBe(429);
    // Reads stay open, and so does everyone else.
    expect((await callApi(stack, sessionFor(stack, 'bob'), 'GET', '/api/personal-settings')).status).toBe(200);
    expect((await disconnect('carol')).status).toBe(200);
    // Nothing bob sent reached the audit log.
    expect(await disconnectEntries()).toBe(1);

    offsetMs += retryAfter * 1000;
    expect((await disconnect('bob')).status).toBe(200);
  });
});
