import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLlmToolName } from '../../server/agent';
import { openAiToolCalls, startFakeLlmServer, type FakeLlmServer } from '../helpers/fake-llm-server';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { waitFor } from '../helpers/wait-for';

describe('free-text requests through the LLM planner, enabled by configuration', () => {
  let llm: FakeLlmServer;
  let stack: RunningStack;
  beforeAll(async () => {
    llm = await startFakeLlmServer();
    stack = await startStack({
      env: { BOSUN_LLM_PROVIDER: 'openai', BOSUN_LLM_BASE_URL: `${llm.url}/v1`, BOSUN_LLM_API_KEY: 'sk-test-secret-key', BOSUN_LLM_MODEL: 'test-model' },
    });
  });
  afterAll(async () => {
    await stack.close();
    await llm.close();
  });

  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const plan = (text: string) => callApi(stack, sessionFor(stack, 'alice', 'pr-panel'), 'POST', '/api/agent/plan', { text, repoUuid: web().uuid, prId: 2 });

  it('asks the LLM only for what the deterministic planner cannot read, and shows its plan before anything runs', async () => {
    llm.enqueue(openAiToolCalls([{ name: toLlmToolName('pullRequest.addReviewers'), arguments: JSON.stringify({ repo: 'web', pullRequestId: 2, reviewers: ['bob'] }) }]));
    const answer = await plan('bob knows this code best, bring him in');
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json.plan).toMatchObject({ source: 'llm', steps: [{ tool: 'pullRequest.addReviewers', input: { reviewers: ['bob'] } }] });
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]!.headers.authorization).toBe('Bearer sk-test-secret-key');
    expect(JSON.stringify(llm.requests[0]!.body.tools)).toContain(toLlmToolName('pullRequest.merge'));
    const bob = stack.sandbox.state.users.find((u) => u.nickname === 'bob')!;
    const pr = stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web().uuid && p.id === 2)!;
    expect(pr.participants.some((p) => p.userUuid === bob.uuid && p.role === 'REVIEWER')).toBe(false);

    // The same executor runs it once the person confirms.
    const run = await callApi(stack, sessionFor(stack, 'alice', 'pr-panel'), 'POST', '/api/agent/execute', { plan: answer.json.plan, idempotencyKey: randomUUID(), confirmed: true });
    expect(run.status).toBe(202);
    await waitFor(() => pr.participants.some((p) => p.userUuid === bob.uuid && p.role === 'REVIEWER'), 'bob as reviewer');
    // The key never reached a log line.
    expect(stack.bosun.logLines.join('\n')).not.toContain('sk-test-secret-key');
  });

  it('a common phrasing never reaches the LLM', async () => {
    const before = llm.requests.length;
    const answer = await plan('approve #2');
    expect(answer.json.plan.source).toBe('natural-language');
    expect(llm.requests.length).toBe(before);
  });

  it('refuses a malformed or unknown tool call from the LLM with suggestions, and runs nothing', async () => {
    llm.enqueue(openAiToolCalls([{ name: 'repository_destroy_everything', arguments: '{}' }]));
    const unknown = await plan('please do something unusual');
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.code).toBe('PLAN_NOT_UNDERSTOOD');
    llm.enqueue(openAiToolCalls([{ name: toLlmToolName('pullRequest.merge'), arguments: '{not json' }]));
    expect((await plan('and another unusual thing')).status).toBe(422);
  });
});
