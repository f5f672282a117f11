import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedLlmRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export type LlmReply = { status: number; body: unknown } | { hang: true };

export interface FakeLlmServer {
  url: string;
  requests: RecordedLlmRequest[];
  /** The next replies, in order; once used up every request gets a 500. */
  enqueue(...replies: LlmReply[]): void;
  close(): Promise<void>;
}

/** A tiny stand-in for OpenAI's chat completions and Anthropic's Messages API, on port 0. */
export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  const app = express();
  app.use(express.json({ limit: '2mb' }));
  const requests: RecordedLlmRequest[] = [];
  const queue: LlmReply[] = [];
  const handle = (req: express.Request, res: express.Response) => {
    requests.push({ path: req.path, headers: req.headers, body: req.body });
    const reply = queue.shift() ?? { status: 500, body: { error: { message: 'no reply scripted' } } };
    if ('hang' in reply) return; // never answers: the client's timeout must fire
    res.status(reply.status).json(reply.body);
  };
  app.post('/v1/chat/completions', handle);
  app.post('/v1/messages', handle);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** OpenAI chat completion with tool calls (`arguments` is a JSON string, possibly malformed). */
export function openAiToolCalls(calls: Array<{ name: string; arguments: string }>, content: string | null = null) {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          finish_reason: calls.length ? 'tool_calls' : 'stop',
          message: {
            role: 'assistant',
            content,
            ...(calls.length
              ? { tool_calls: calls.map((c, i) => ({ id: `call_${i}`, type: 'function', function: { name: c.name, arguments: c.arguments } })) }
              : {}),
          },
        },
      ],
    },
  };
}

/** Anthropic Messages answer with text and tool_use blocks. */
export function anthropicContent(blocks: Array<{ text: string } | { name: string; input: unknown }>) {
  return {
    status: 200,
    body: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      stop_reason: blocks.some((b) => 'name' in b) ? 'tool_use' : 'end_turn',
      content: blocks.map((b, i) => ('text' in b ? { type: 'text', text: b.text } : { type: 'tool_use', id: `toolu_${i}`, name: b.name, input: b.input })),
    },
  };
}
