import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPlanClarificationView, AgentPlanView } from '../../../server/web/api/contracts';
import { callApi, sessionFor } from '../../helpers/oauth-dance';
import { startStack, type RunningStack } from '../../helpers/start-stack';
import { waitFor } from '../../helpers/wait-for';

/** "Ask Bosun" through the real API and the sandbox: questions back, answers straight away, help with real numbers. */
describe('Ask Bosun API: clarifying questions, read-only answers, help', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack.close());

  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const pr2 = () => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web().uuid && p.id === 2)!;
  const page = () => ({
    title: pr2().title,
    sourceBranch: pr2().source.branch,
    destinationBranch: pr2().destination.branch,
    people: [
      { nickname: 'dave', displayName: 'Dave Developer', uuid: stack.sandbox.state.users.find((u) => u.nickname === 'dave')!.uuid },
      { nickname: 'daisy', displayName: 'Daisy Duck', uuid: '{da150000-0000-4000-8000-000000000099}' },
    ],
  });
  const plan = (text: string) =>
    callApi(stack, sessionFor(stack, 'alice', 'pr-panel'), 'POST', '/api/agent/plan', { text, repoUuid: web().uuid, prId: 2, page: page() });
  const execute = (view: AgentPlanView, confirmed: boolean) =>
    callApi(stack, sessionFor(stack, 'alice', 'pr-panel'), 'POST', '/api/agent/execute', { plan: view.plan, idempotencyKey: randomUUID(), confirmed });
  const jobOf = (jobId: string) => callApi(stack, sessionFor(stack, 'alice', 'pr-panel'), 'GET', `/api/agent/jobs/${jobId}`);

  it('asks back with the choices it sees; a choice sent back as the request plans and runs', async () => {
    const asked = await plan('pls create branch api-test/clarified');
    expect(asked.status).toBe(200);
    const question = asked.json as AgentPlanClarificationView;
    expect(question).toEqual({
      kind: 'clarification',
      question: 'Create api-test/clarified from which branch?',
      choices: [
        { label: pr2().source.branch, text: `create branch api-test/clarified from ${pr2().source.branch}` },
        { label: pr2().destination.branch, text: `create branch api-test/clarified from ${pr2().destination.branch}` },
      ],
    });
    const answered = await plan(question.choices[1]!.text);
    expect(answered.status).toBe(200);
    const view = answered.json as AgentPlanView;
    expect(view).toMatchObject({ kind: 'plan', readOnly: false, plan: { steps: [{ tool: 'branch.create', input: { name: 'api-test/clarified', from: pr2().destination.branch } }] } });
    expect(stack.sandbox.state.branches.some((b) => b.repoUuid === web().uuid && b.name === 'api-test/clarified')).toBe(false);
    const run = await execute(view, true);
    expect(run.status).toBe(202);
    await waitFor(() => stack.sandbox.state.branches.some((b) => b.repoUuid === web().uuid && b.name === 'api-test/clarified'), 'the branch');
  });

  it('asks which person when a name fits two of the people on the page', async () => {
    const asked = await plan('add Da as reviewer');
    expect(asked.json).toMatchObject({
      kind: 'clarification',
      choices: [
        { label: 'Dave Developer (@dave)', text: 'add @dave as reviewer' },
        { label: 'Daisy Duck (@daisy)', text: 'add @daisy as reviewer' },
      ],
    });
  });

  it('marks a question read-only and answers it without confirmation', async () => {
    const asked = await plan("what's blocking this PR?");
    expect(asked.status).toBe(200);
    const view = asked.json as AgentPlanView;
    expect(view).toMatchObject({ kind: 'plan', readOnly: true, preview: { needsConfirmation: false }, plan: { steps: [{ tool: 'pullRequest.status', input: { pullRequestId: 2 } }] } });
    const run = await execute(view, false);
    expect(run.status).toBe(202);
    let summary = '';
    await waitFor(async () => {
      const job = await jobOf(run.json.jobId as string);
      summary = job.json?.audit?.steps?.[0]?.summary ?? '';
      return job.json?.done === true;
    }, 'the answer');
    expect(summary).toMatch(/^Pull request #2 is /);
  });

  it('a request that changes something is not read-only', async () => {
    const view = (await plan('add @dave as reviewer, merge when green')).json as AgentPlanView;
    expect(view.readOnly).toBe(false);
    expect(view.plan.steps.map((s) => s.tool)).toEqual(['pullRequest.addReviewers', 'pullRequest.mergeWhenGreen']);
  });

  it('says what it can do, with this PR\'s number and branches, when it cannot help', async () => {
    const refused = await plan('order pizza for the team');
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('PLAN_NOT_UNDERSTOOD');
    expect(refused.json.error.suggestions).toContain('approve #2');
    expect(refused.json.error.suggestions).toContain(`rerun the failed pipeline on ${pr2().source.branch}`);
    expect(refused.json.error.message).toContain("what's blocking #2?");
  });

  it('rejects page facts that are not the right shape', async () => {
    const bad = await callApi(stack, sessionFor(stack, 'alice', 'pr-panel'), 'POST', '/api/agent/plan', {
      text: 'approve',
      repoUuid: web().uuid,
      prId: 2,
      page: { people: 'everyone' },
    });
    expect(bad.status).toBe(400);
  });
});
