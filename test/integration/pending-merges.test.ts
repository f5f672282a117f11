import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCancelPlan } from '../../client/pr-panel/to-pending-merge-text';
import { callApi, sandboxUser, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

/** Issue 16, item 5: a pending merge-when-green shows in the PR panel with who armed it, and the panel's Cancel ends it. */
describe.each(testDatabaseKinds())('pending merge when green in the PR panel (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind });
  });
  afterAll(async () => stack.close());

  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const pending = async (nickname: string, prId: number) => {
    const res = await callApi(stack, sessionFor(stack, nickname, 'pr-panel'), 'GET', `/api/agent/pending-merges?repoUuid=${encodeURIComponent(web().uuid)}&prId=${prId}`);
    expect(res.status).toBe(200);
    return res.json.pending as Array<{ kind: string; requestedBy: { displayName: string | null; uuid: string | null } | null; requestedAt: string }>;
  };
  const run = async (nickname: string, plan: unknown) => {
    const session = sessionFor(stack, nickname, 'pr-panel');
    const accepted = await callApi(stack, session, 'POST', '/api/agent/execute', { plan, idempotencyKey: randomUUID(), confirmed: true });
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(202);
    return waitFor(async () => {
      const job = await callApi(stack, session, 'GET', `/api/agent/jobs/${accepted.json.jobId}`);
      return job.json?.done ? job.json : null;
    }, 'the job');
  };

  it('shows who armed it (by name), to everyone on the PR, until the panel\'s Cancel ends it', async () => {
    // PR 2's builds are not all green in the seed, so the request stays pending.
    expect(await pending('carol', 2)).toEqual([]);
    const session = sessionFor(stack, 'bob', 'pr-panel');
    const plan = await callApi(stack, session, 'POST', '/api/agent/plan', { text: 'merge when green', repoUuid: web().uuid, repoFullName: 'acme/web', prId: 2 });
    expect(plan.status, JSON.stringify(plan.json)).toBe(200);
    const armed = await run('bob', plan.json.plan);
    expect(armed.audit.outcome).toBe('succeeded');
    const bob = sandboxUser(stack, 'bob');
    const shown = await pending('carol', 2);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ kind: 'merge-when-green', requestedBy: { displayName: 'Bob Builder', uuid: bob.uuid } });
    expect(await pending('carol', 1)).toEqual([]);

    const cancelled = await run('carol', toCancelPlan('web', 2));
    expect(cancelled.audit).toMatchObject({ outcome: 'succeeded', repositories: ['acme/web'] });
    expect(cancelled.audit.message).toContain('Cancelled the automatic merge of pull request #2');
    expect(await pending('carol', 2)).toEqual([]);
  });

  it('answers only the PR panel\'s session', async () => {
    const res = await callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), 'GET', `/api/agent/pending-merges?repoUuid=${encodeURIComponent(web().uuid)}&prId=2`);
    expect(res.status).toBe(401);
  });
});
