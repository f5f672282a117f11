import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { waitFor } from '../helpers/wait-for';

/**
 * Issue 10, item 3: every Bitbucket call Bosun makes is charged to the rate budget, not only the
 * mirror's sync. A panel's live read and an Ask Bosun request are a person's (people lane); a
 * comment command runs from a webhook (automation lane). Admin settings show the spend per lane.
 * Asserted against the sandbox's own per-credential counters.
 */
describe('the rate budget charges views and the agent, per lane', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite' });
  });
  afterAll(async () => stack.close());

  const credential = () => `app:${stack.installation.clientKey}`;
  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const usage = async () =>
    (await stack.bosun.services.db.models.BudgetUsage.findAll({ where: { clientKey: stack.installation.clientKey, credential: 'installation' }, raw: true }))
      .reduce<Record<string, number>>((acc, r) => ({ ...acc, [`${r.lane}:${r.purpose}`]: (acc[`${r.lane}:${r.purpose}`] ?? 0) + r.count }), {});
  const charged = (u: Record<string, number>) => Object.values(u).reduce((a, b) => a + b, 0);

  it('a live panel read is charged to the people lane, request for request', async () => {
    // The install queued its first mirror sync at once (the host's installed event): let it finish, so every
    // request the sandbox counts below is the panel's.
    await waitFor(
      async () => (await stack.bosun.services.db.models.Job.count({ where: { clientKey: stack.installation.clientKey, state: ['queued', 'running'] } })) === 0,
      "the install's jobs",
    );
    await stack.sandbox.idle();
    stack.sandbox.requests.reset();
    const before = await usage();
    const res = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'GET', `/api/pr-panel?repoUuid=${encodeURIComponent(web().uuid)}&prId=1&fresh=1`);
    expect(res.status).toBe(200);
    expect(res.json.freshness.source).toBe('live');
    const after = await usage();
    const sent = stack.sandbox.requests.get(credential()).total;
    expect(sent).toBeGreaterThan(0);
    expect((after['people:pr-panel'] ?? 0) - (before['people:pr-panel'] ?? 0)).toBe(sent);
  });

  it('Ask Bosun from the panel spends the people lane; a comment command the automation lane; admin settings show both', async () => {
    const session = sessionFor(stack, 'bob', 'pr-panel');
    const before = await usage();
    stack.sandbox.requests.reset();
    const plan = await callApi(stack, session, 'POST', '/api/agent/plan', { text: 'is the build passing?', repoUuid: web().uuid, repoFullName: 'acme/web', prId: 1 });
    expect(plan.status).toBe(200);
    const run = await callApi(stack, session, 'POST', '/api/agent/execute', { plan: plan.json.plan, idempotencyKey: randomUUID(), confirmed: true });
    expect(run.status).toBe(202);
    await waitFor(async () => (await callApi(stack, session, 'GET', `/api/agent/jobs/${run.json.jobId}`)).json?.done, 'the panel request to finish');
    const afterAsk = await usage();
    const askSpent = (afterAsk['people:agent'] ?? 0) - (before['people:agent'] ?? 0);
    expect(askSpent).toBeGreaterThan(0);
    // Nothing else ran meanwhile that called Bitbucket as the app: every request it saw was charged.
    expect(charged(afterAsk) - charged(before)).toBe(stack.sandbox.requests.get(credential()).total);

    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 2 }, 'bob', '/bosun help');
    await waitFor(async () => ((await usage())['automation:agent'] ?? 0) > (before['automation:agent'] ?? 0), 'the comment command to spend the automation lane');

    const admin = await callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), 'GET', '/api/admin-settings');
    expect(admin.status).toBe(200);
    const installation = (admin.json.mirror.budget as Array<{ credential: string; byLane: Record<string, number> }>).find((c) => c.credential === 'installation')!;
    const total = await usage();
    expect(installation.byLane.people).toBe(Object.entries(total).filter(([k]) => k.startsWith('people:')).reduce((a, [, v]) => a + v, 0));
    expect(installation.byLane.automation).toBeGreaterThan(0);
  });
});
