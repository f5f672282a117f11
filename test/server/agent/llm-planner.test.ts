import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDefaultToolCatalog,
  createLlmPlanner,
  createMemoryAutoMergeStore,
  isPlanningError,
  type PlannerContext,
} from '../../../server/agent';
import { createLogger } from '../../../server/log';
import { tenant } from './agent-fakes';
import { anthropicContent, openAiToolCalls, startFakeLlmServer, type FakeLlmServer } from '../../helpers/fake-llm-server';

const API_KEY = 'sk-test-very-secret-key';
let llm: FakeLlmServer;
const logLines: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
const tools = createDefaultToolCatalog({ autoMerges: createMemoryAutoMergeStore() });
const ctx: PlannerContext = { tenant, repo: { workspace: 'acme', slug: 'web' }, pullRequestId: 12, tools };

beforeAll(async () => {
  llm = await startFakeLlmServer();
});
afterAll(async () => {
  await llm.close();
  // The key travels only in its header, never into a log line.
  expect(logLines.join('\n')).not.toContain(API_KEY);
});
beforeEach(() => {
  llm.requests.length = 0;
});

const styles = [
  {
    kind: 'openai' as const,
    baseUrl: () => `${llm.url}/v1`,
    calls: (calls: Array<{ name: string; args: unknown }>, text: string | null = null) =>
      openAiToolCalls(calls.map((c) => ({ name: c.name, arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args) })), text),
    text: (text: string) => openAiToolCalls([], text),
    malformed: () => openAiToolCalls([{ name: 'pullRequest_merge', arguments: '{"repo": "web", "pullRequestId": 12' }]),
  },
  {
    kind: 'anthropic' as const,
    baseUrl: () => llm.url,
    calls: (calls: Array<{ name: string; args: unknown }>, text: string | null = null) =>
      anthropicContent([...(text ? [{ text }] : []), ...calls.map((c) => ({ name: c.name, input: c.args }))]),
    text: (text: string) => anthropicContent([{ text }]),
    malformed: () => anthropicContent([{ name: 'pullRequest_merge', input: '{"repo": "web"' }]),
  },
];

describe.each(styles)('LLM planner ($kind)', (style) => {
  const planner = () => createLlmPlanner({ kind: style.kind, baseUrl: style.baseUrl(), apiKey: API_KEY, model: 'test-model', fetch, logger, timeoutMs: 500 });

  it('turns tool calls into a validated plan, filling the context repository', async () => {
    llm.enqueue(
      style.calls(
        [
          { name: 'pullRequest_comment', args: { pullRequestId: 12, body: 'Merging now' } },
          { name: 'pullRequest_merge', args: { repo: 'web', pullRequestId: 12, strategy: 'squash' } },
        ],
        'Comment, then merge.',
      ),
    );
    const plan = await planner().plan('say so and squash-merge this', ctx);
    if (isPlanningError(plan)) throw new Error(plan.error);
    expect(plan).toEqual({
      source: 'llm',
      summary: 'Comment, then merge.',
      steps: [
        { tool: 'pullRequest.comment', input: { workspace: 'acme', repo: 'web', pullRequestId: 12, body: 'Merging now' } },
        { tool: 'pullRequest.merge', input: { repo: 'web', pullRequestId: 12, strategy: 'squash' } },
      ],
    });
    const request = llm.requests[0];
    expect(request?.body.model).toBe('test-model');
    if (style.kind === 'openai') {
      expect(request?.path).toBe('/v1/chat/completions');
      expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
      const merge = request?.body.tools.find((t: any) => t.function.name === 'pullRequest_merge');
      expect(merge.type).toBe('function');
      expect(merge.function.parameters.properties.strategy.enum).toContain('squash');
    } else {
      expect(request?.path).toBe('/v1/messages');
      expect(request?.headers['x-api-key']).toBe(API_KEY);
      expect(request?.headers['anthropic-version']).toBe('2023-06-01');
      const merge = request?.body.tools.find((t: any) => t.name === 'pullRequest_merge');
      expect(merge.input_schema.required).toEqual(['repo', 'pullRequestId']);
    }
    expect(request?.body.tools).toHaveLength(tools.tools.length);
  });

  it('rejects malformed JSON arguments and runs nothing', async () => {
    llm.enqueue(style.malformed());
    const outcome = await planner().plan('merge it', ctx);
    expect(outcome).toMatchObject({ error: expect.stringContaining('Call 1 (pullRequest_merge): the arguments are not a JSON object') });
  });

  it('rejects arguments the tool schema refuses', async () => {
    llm.enqueue(style.calls([{ name: 'pullRequest_merge', args: { repo: 'web', pullRequestId: 'twelve', strategy: 'yolo' } }]));
    const outcome = await planner().plan('merge it', ctx);
    if (!isPlanningError(outcome)) throw new Error('expected an error');
    expect(outcome.error).toContain('nothing was done');
    expect(outcome.error).toContain('pullRequestId');
    expect(outcome.error).toContain('strategy');
  });

  it('rejects the whole plan when one tool is unknown', async () => {
    llm.enqueue(
      style.calls([
        { name: 'pullRequest_approve', args: { pullRequestId: 12 } },
        { name: 'repository_nuke', args: { repo: 'web' } },
      ]),
    );
    const outcome = await planner().plan('approve and nuke', ctx);
    expect(outcome).toMatchObject({ error: expect.stringContaining('Call 2 (repository_nuke): there is no such tool') });
  });

  it('passes a text-only answer back as a suggestion', async () => {
    llm.enqueue(style.text('I can only manage Bitbucket; I cannot book flights.'));
    const outcome = await planner().plan('book me a flight', ctx);
    expect(outcome).toEqual({
      error: 'The assistant did not propose any action.',
      suggestions: ['I can only manage Bitbucket; I cannot book flights.'],
    });
  });

  it('turns a 500 into a planning error', async () => {
    llm.enqueue({ status: 500, body: { error: { message: 'overloaded' } } });
    const outcome = await planner().plan('merge it', ctx);
    expect(outcome).toMatchObject({ error: 'The language model service failed (500); try again later.' });
  });

  it('turns a refused key into a message for admins', async () => {
    llm.enqueue({ status: 401, body: { error: { message: 'bad key' } } });
    const outcome = await planner().plan('merge it', ctx);
    expect(outcome).toMatchObject({ error: expect.stringContaining("refused Bosun's API key (401)") });
  });

  it('gives up after its timeout', async () => {
    llm.enqueue({ hang: true });
    const outcome = await planner().plan('merge it', ctx);
    expect(outcome).toMatchObject({ error: 'The language model did not answer within 1 s.' });
  });

  it('refuses an answer of the wrong shape', async () => {
    llm.enqueue({ status: 200, body: { nothing: 'here' } });
    const outcome = await planner().plan('merge it', ctx);
    expect(outcome).toMatchObject({ error: 'The language model answered in an unexpected shape.' });
  });
});
