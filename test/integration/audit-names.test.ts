import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sandboxUser, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

/** Issue 16, item 4: plans, results and the audit log name repositories and people; the log's filters find every entry. */
describe.each(testDatabaseKinds())('names, not ids, in plans and the audit log (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind });
  });
  afterAll(async () => stack.close());

  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const comments = () => stack.sandbox.state.comments.filter((c) => c.repoUuid === web().uuid && c.prId === 1 && !c.deleted);
  const audit = async (query: string) => {
    const res = await callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), 'GET', `/api/audit${query}`);
    expect(res.status, query).toBe(200);
    return res.json as { total: number; entries: Array<{ summary: string; message: string; repositories: string[]; actor: { displayName?: string | null; userUuid: string | null }; trigger: { kind: string } }> };
  };
  /** Asks Bosun from the PR panel and runs what it planned, as the panel does. */
  const askInPanel = async (nickname: string, text: string, repoFullName: string | null) => {
    const session = sessionFor(stack, nickname, 'pr-panel');
    const plan = await callApi(stack, session, 'POST', '/api/agent/plan', { text, repoUuid: web().uuid, ...(repoFullName ? { repoFullName } : {}), prId: 1 });
    expect(plan.status, JSON.stringify(plan.json)).toBe(200);
    const run = await callApi(stack, session, 'POST', '/api/agent/execute', { plan: plan.json.plan, idempotencyKey: randomUUID(), confirmed: true });
    expect(run.status).toBe(202);
    const job = await waitFor(async () => {
      const res = await callApi(stack, session, 'GET', `/api/agent/jobs/${run.json.jobId}`);
      return res.json?.done ? res.json : null;
    }, 'the panel request to finish');
    return { plan: plan.json, job };
  };

  it('a plan asked from the panel names the repository workspace/slug, in the preview and in the result', async () => {
    const { plan, job } = await askInPanel('bob', 'is the build passing?', 'acme/web');
    expect(plan.preview.steps[0].repository).toBe('acme/web');
    expect(JSON.stringify(plan)).not.toContain(web().uuid);
    expect(job.audit.repositories).toEqual(['acme/web']);
    expect(job.audit.actor.displayName).toBe('Bob Builder');
    expect(JSON.stringify(job.audit)).not.toContain(web().uuid);
  });

  it('an entry whose trigger named the repository by uuid (older panel, button, rule) still reads acme/web', async () => {
    const { job } = await askInPanel('bob', 'is the build passing?', null);
    expect(job.audit.repositories).toEqual(['acme/web']);
    expect(JSON.stringify(job.audit)).not.toContain(web().uuid);
    const tenant = { clientKey: stack.installation.clientKey, workspace: 'acme' };
    const ruleRun = await stack.bosun.services.automation.executor.execute(
      { summary: 'Check the readiness of #1', source: 'rule', steps: [{ tool: 'pullRequest.status', input: { repo: web().uuid, pullRequestId: 1 } }] },
      { tenant, actor: { kind: 'rule', userUuid: null, accountId: null } },
      { idempotencyKey: `rule:${randomUUID()}`, confirmed: true, trigger: { kind: 'rule:auto-merge', ref: '1' } },
    );
    // Step inputs keep the ids they ran with; everything people read names the repository.
    expect(ruleRun.repositories).toEqual(['acme/web']);
    expect(ruleRun.actor.displayName ?? null).toBeNull();
    for (const text of [ruleRun.planSummary, ruleRun.message, ...ruleRun.steps.map((s) => s.summary ?? '')]) expect(text).not.toContain(web().uuid);
  });

  it('the audit log finds every entry that touched acme/web, whatever started it, by full name, slug or uuid', async () => {
    const before = comments().length;
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 1 }, 'carol', '/bosun status');
    await waitFor(() => comments().length > before && comments().some((c) => c.raw.includes('<!-- bosun:sticky:bosun -->')), 'the command reply');
    const all = await waitFor(async () => {
      const page = await audit('?limit=200');
      return page.entries.some((e) => e.trigger.kind === 'comment') ? page : null;
    }, 'the comment command entry');
    const touchingWeb = all.entries.filter((e) => e.repositories.includes('acme/web'));
    expect(new Set(touchingWeb.map((e) => e.trigger.kind)).size).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(all.entries)).not.toContain(web().uuid);
    for (const query of ['acme/web', 'ACME/web', 'web', web().uuid, web().uuid.slice(1, -1)]) {
      const found = await audit(`?limit=200&repo=${encodeURIComponent(query)}`);
      expect(found.total, query).toBe(touchingWeb.length);
    }
    expect((await audit('?repo=we')).total).toBe(0);
  });

  it('the audit log finds a person by name, one word of it, nickname, @mention, account id or uuid, and shows their name', async () => {
    const bob = sandboxUser(stack, 'bob');
    const bobs = (await audit('?limit=200')).entries.filter((e) => e.actor.userUuid === bob.uuid);
    expect(bobs.length).toBe(2);
    expect(bobs.every((e) => e.actor.displayName === 'Bob Builder')).toBe(true);
    for (const query of ['Bob Builder', 'bob builder', 'Builder', 'bob', '@bob', bob.accountId, bob.uuid, bob.uuid.slice(1, -1)]) {
      const found = await audit(`?limit=200&actor=${encodeURIComponent(query)}`);
      expect(found.total, query).toBe(2);
    }
    const carol = await audit(`?actor=${encodeURIComponent('Carol Reviewer')}`);
    expect(carol.total).toBe(1);
    expect(carol.entries[0]?.actor.displayName).toBe('Carol Reviewer');
  });
});
