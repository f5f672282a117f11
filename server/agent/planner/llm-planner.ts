import { z } from 'zod';
import type { Logger } from '../../log';
import type { PlanStep } from '../executor/plan';
import { toIssueText } from '../executor/describe-failure';
import { toJsonSchema, type AnyTool } from '../tools/tool';
import { toRepoInput, type Planner, type PlannerContext, type PlanOutcome, type PlanningError } from './planner';

export interface LlmPlannerConfig {
  /** `openai`: any OpenAI-compatible chat completions API; `anthropic`: the Messages API. */
  kind: 'openai' | 'anthropic';
  /** OpenAI style: up to `/v1` (`https://api.openai.com/v1`), `/chat/completions` is appended. Anthropic: the origin, `/v1/messages` is appended. */
  baseUrl: string;
  apiKey: string;
  model: string;
  fetch: typeof fetch;
  /** Default 20 s. */
  timeoutMs?: number;
  maxTokens?: number;
  logger?: Logger;
}

interface ToolCall {
  name: string;
  /** Parsed arguments, or the raw text when it was not JSON. */
  arguments: unknown;
  malformed: boolean;
}

interface ModelAnswer {
  text: string;
  calls: ToolCall[];
}

/** Function names may only hold [a-zA-Z0-9_-] in both APIs, so `pullRequest.merge` travels as `pullRequest_merge`. */
export function toLlmToolName(name: string): string {
  return name.replace(/\./g, '_');
}

const openAiResponseSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: z.string().nullish(),
          tool_calls: z
            .array(z.looseObject({ function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }) }))
            .nullish(),
        }),
      }),
    )
    .min(1),
});

const anthropicResponseSchema = z.looseObject({
  content: z.array(
    z.union([
      z.looseObject({ type: z.literal('text'), text: z.string() }),
      z.looseObject({ type: z.literal('tool_use'), name: z.string(), input: z.unknown() }),
      z.looseObject({ type: z.string() }),
    ]),
  ),
});

class LlmCallError extends Error {}

function toSystemPrompt(ctx: PlannerContext): string {
  const repo = toRepoInput(ctx.repo);
  return [
    'You are Bosun, an assistant that manages Bitbucket Cloud repositories and pull requests.',
    'Turn the request into calls of the given tools, in the order they should run. Do not invent tools or fields.',
    'If the request cannot be done with the tools, answer briefly in text instead and call no tool.',
    `Workspace: ${ctx.tenant.workspace}.`,
    repo ? `Current repository: ${repo.workspace}/${repo.repo} (use it when the request names none).` : 'No current repository.',
    ctx.pullRequestId !== undefined ? `Current pull request: #${ctx.pullRequestId}.` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * A planner backed by a language model with function calling. Every tool call the model returns
 * is validated with the tool's own zod schema; one unknown tool or malformed argument rejects the
 * whole plan (nothing is ever executed from here). The API key is sent only in its header.
 */
export function createLlmPlanner(config: LlmPlannerConfig): Planner {
  const timeoutMs = config.timeoutMs ?? 20_000;
  const base = config.baseUrl.replace(/\/+$/, '');

  async function post(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await config.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (error) {
      const timedOut = controller.signal.aborted;
      config.logger?.warn('LLM request failed', { kind: config.kind, model: config.model, timedOut, error: error instanceof Error ? error.message : String(error) });
      throw new LlmCallError(timedOut ? `The language model did not answer within ${Math.round(timeoutMs / 1000)} s.` : 'The language model could not be reached.');
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      config.logger?.warn('LLM request answered an error', { kind: config.kind, model: config.model, status: response.status });
      throw new LlmCallError(
        response.status === 401 || response.status === 403
          ? `The language model refused Bosun's API key (${response.status}); an admin should check the LLM settings.`
          : response.status === 429
            ? 'The language model is rate-limiting Bosun; try again in a minute.'
            : `The language model service failed (${response.status}); try again later.`,
      );
    }
    try {
      return await response.json();
    } catch {
      throw new LlmCallError('The language model answered something that is not JSON.');
    }
  }

  async function askOpenAi(text: string, ctx: PlannerContext, tools: readonly AnyTool[]): Promise<ModelAnswer> {
    const json = await post(
      `${base}/chat/completions`,
      { authorization: `Bearer ${config.apiKey}` },
      {
        model: config.model,
        messages: [
          { role: 'system', content: toSystemPrompt(ctx) },
          { role: 'user', content: text },
        ],
        tools: tools.map((t) => ({ type: 'function', function: { name: toLlmToolName(t.name), description: t.description, parameters: toJsonSchema(t) } })),
        tool_choice: 'auto',
        ...(config.maxTokens ? { max_tokens: config.maxTokens } : {}),
      },
    );
    const parsed = openAiResponseSchema.safeParse(json);
    if (!parsed.success) throw new LlmCallError('The language model answered in an unexpected shape.');
    const message = parsed.data.choices[0]?.message;
    const calls = (message?.tool_calls ?? []).map((c): ToolCall => {
      const raw = c.function.arguments ?? '{}';
      try {
        return { name: c.function.name, arguments: JSON.parse(raw === '' ? '{}' : raw) as unknown, malformed: false };
      } catch {
        return { name: c.function.name, arguments: raw, malformed: true };
      }
    });
    return { text: message?.content ?? '', calls };
  }

  async function askAnthropic(text: string, ctx: PlannerContext, tools: readonly AnyTool[]): Promise<ModelAnswer> {
    const json = await post(
      `${base}/v1/messages`,
      { 'x-api-key': config.apiKey, 'anthropic-version': '2023-06-01' },
      {
        model: config.model,
        max_tokens: config.maxTokens ?? 1024,
        system: toSystemPrompt(ctx),
        messages: [{ role: 'user', content: text }],
        tools: tools.map((t) => ({ name: toLlmToolName(t.name), description: t.description, input_schema: toJsonSchema(t) })),
      },
    );
    const parsed = anthropicResponseSchema.safeParse(json);
    if (!parsed.success) throw new LlmCallError('The language model answered in an unexpected shape.');
    const texts: string[] = [];
    const calls: ToolCall[] = [];
    for (const block of parsed.data.content) {
      if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
      if (block.type === 'tool_use' && typeof block.name === 'string') {
        const input = block.input;
        const isObject = input !== null && typeof input === 'object' && !Array.isArray(input);
        calls.push({ name: block.name, arguments: input, malformed: !isObject });
      }
    }
    return { text: texts.join('\n'), calls };
  }

  return {
    async plan(text, ctx): Promise<PlanOutcome> {
      const tools = ctx.tools.tools;
      const byLlmName = new Map(tools.map((t) => [toLlmToolName(t.name), t]));
      let answer: ModelAnswer;
      try {
        answer = config.kind === 'openai' ? await askOpenAi(text, ctx, tools) : await askAnthropic(text, ctx, tools);
      } catch (error) {
        if (error instanceof LlmCallError) return { error: error.message, suggestions: ['Use a /bosun command instead: /bosun help'] };
        throw error;
      }
      if (answer.calls.length === 0) {
        return {
          error: 'The assistant did not propose any action.',
          suggestions: answer.text.trim() ? [answer.text.trim()] : ['Rephrase the request, or use /bosun help'],
        };
      }
      const repo = toRepoInput(ctx.repo);
      const problems: string[] = [];
      const steps: PlanStep[] = [];
      answer.calls.forEach((call, index) => {
        const tool = byLlmName.get(call.name) ?? ctx.tools.get(call.name);
        const where = `Call ${index + 1} (${call.name})`;
        if (!tool) return void problems.push(`${where}: there is no such tool`);
        if (call.malformed) return void problems.push(`${where}: the arguments are not a JSON object`);
        const args = withContextDefaults(call.arguments, tool, repo, ctx.pullRequestId);
        const parsed = tool.input.safeParse(args);
        if (!parsed.success) return void problems.push(`${where}: ${toIssueText(parsed.error)}`);
        steps.push({ tool: tool.name, input: parsed.data });
      });
      if (problems.length > 0) {
        config.logger?.warn('LLM proposed an invalid plan', { kind: config.kind, model: config.model, problems });
        const error: PlanningError = {
          error: `The assistant proposed actions Bosun cannot run, so nothing was done: ${problems.join('; ')}.`,
          suggestions: ['Rephrase the request, or use /bosun help'],
        };
        return error;
      }
      return { steps, summary: answer.text.trim() || steps.map((s) => s.tool).join(', then '), source: 'llm' };
    },
  };
}

/** Fills `workspace`/`repo`/`pullRequestId` from where the request was made, when the model left them out. */
function withContextDefaults(
  args: unknown,
  tool: AnyTool,
  repo: { workspace: string; repo: string } | null,
  pullRequestId: number | undefined,
): unknown {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return args;
  const out = { ...(args as Record<string, unknown>) };
  const shape = toJsonSchema(tool).properties as Record<string, unknown> | undefined;
  if (!shape) return out;
  if (repo && 'repo' in shape && out.repo === undefined) {
    out.repo = repo.repo;
    out.workspace ??= repo.workspace;
  }
  if (pullRequestId !== undefined && 'pullRequestId' in shape && out.pullRequestId === undefined && out.branch === undefined) {
    out.pullRequestId = pullRequestId;
  }
  return out;
}
