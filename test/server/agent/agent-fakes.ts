import { z } from 'zod';
import type { BitbucketClient } from '../../../server/bitbucket';
import { defineTool, type AnyTool, type ClientResolver, type ToolResult } from '../../../server/agent';
import { createLogger } from '../../../server/log';

export const silentLogger = createLogger({ level: 'silent' });

export const tenant = { clientKey: 'ck-test', workspace: 'acme' };
export const alice = { userUuid: '{a11ce000-0000-4000-8000-000000000001}', accountId: '712020:alice', kind: 'user' as const };

/** A client nobody may call: tools under test in unit tests use their own fakes. */
export const unusedClient = new Proxy(
  {},
  {
    get: (_target, prop) => {
      if (prop === 'then') return undefined; // awaited as a value
      throw new Error(`unexpected Bitbucket call: ${String(prop)}`);
    },
  },
) as BitbucketClient;

export function createFakeResolver(overrides: Partial<ClientResolver> = {}): ClientResolver & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    forInstallation: overrides.forInstallation ?? (async (clientKey) => {
      calls.push(`installation:${clientKey}`);
      return unusedClient;
    }),
    forUser: overrides.forUser ?? (async (clientKey, userUuid, scopes) => {
      calls.push(`user:${clientKey}:${userUuid}:${scopes.join(',')}`);
      return unusedClient;
    }),
  };
}

/** A tool that records its runs and does what `behaviour` says. */
export function createRecordingTool(
  name: string,
  options: {
    risk?: AnyTool['risk'];
    actsAs?: AnyTool['actsAs'];
    scopes?: AnyTool['scopes'];
    behaviour?: (input: { repo: string; value?: string | undefined }) => Promise<ToolResult>;
  } = {},
): AnyTool & { runs: unknown[] } {
  const runs: unknown[] = [];
  const tool = defineTool({
    name,
    description: `test tool ${name}`,
    input: z.object({
      workspace: z.string().optional(),
      repo: z.string(),
      value: z.string().optional(),
      token: z.string().optional(),
      variables: z.array(z.object({ key: z.string(), value: z.string(), secured: z.boolean().optional() })).optional(),
    }),
    scopes: options.scopes ?? ['repository'],
    actsAs: options.actsAs ?? 'installation',
    risk: options.risk ?? 'write',
    async run(_ctx, input) {
      runs.push(input);
      if (options.behaviour) return options.behaviour(input);
      return { summary: `${name} did ${input.value ?? 'it'}.`, links: [{ label: 'thing', url: `https://example.test/${input.repo}` }] };
    },
  });
  return { ...(tool as AnyTool), runs };
}

/** A clock that advances 5 ms each time it is read. */
export function createTickingClock(start = Date.parse('2026-03-01T10:00:00Z')) {
  let t = start;
  return () => {
    t += 5;
    return new Date(t);
  };
}
