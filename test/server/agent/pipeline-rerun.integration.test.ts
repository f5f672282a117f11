import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyTool, Plan } from '../../../server/agent';
import { createBitbucketClient } from '../../../server/bitbucket';
import { DEV_OAUTH_CONSUMER_KEY } from '../../../sandbox';
import { silentLogger } from './agent-fakes';
import { startAgentStack, type AgentStack } from './start-agent-stack';

let stack: AgentStack;
let n = 0;
const alice = '{a11ce000-0000-4000-8000-000000000001}';

beforeAll(async () => {
  stack = await startAgentStack();
}, 60_000);
afterAll(async () => stack?.close());

async function run(tool: string, input: Record<string, unknown>) {
  const plan: Plan = { steps: [{ tool, input }], summary: tool, source: 'button' };
  n += 1;
  return stack.executor.execute(plan, { tenant: { clientKey: stack.clientKey, workspace: 'acme' }, actor: { userUuid: alice, accountId: null, kind: 'user' } }, {
    idempotencyKey: `pipeline-rerun-${n}`,
    confirmed: false,
    trigger: { kind: 'test', ref: null },
  });
}

describe('pipeline.rerun', () => {
  it('runs one finished run again on its branch, commit and pipeline; refuses a running one and an unknown one', async () => {
    const trigger = (variables: Array<{ key: string; value: string }>) =>
      stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: 'main', selector: { type: 'custom', pattern: 'fail' }, variables });
    const failed = trigger([]);
    await expect.poll(() => failed.result, { timeout: 10_000 }).toBe('FAILED');

    const again = await run('pipeline.rerun', { repo: 'web', pipeline: failed.buildNumber });
    expect(again.outcome).toBe('succeeded');
    const newest = stack.sandbox.state.pipelines.filter((p) => p.repoUuid === failed.repoUuid).sort((a, b) => b.buildNumber - a.buildNumber)[0]!;
    expect(newest.buildNumber).toBeGreaterThan(failed.buildNumber);
    expect({ ref: newest.refName, commit: newest.commitHash, selector: newest.selector }).toEqual({ ref: 'main', commit: failed.commitHash, selector: { type: 'custom', pattern: 'fail' } });
    expect(again.steps[0]?.summary).toBe(`Started pipeline #${newest.buildNumber} to run #${failed.buildNumber} (main) again.`);

    const byUuid = await run('pipeline.rerun', { repo: 'web', pipeline: failed.uuid });
    expect(byUuid.outcome).toBe('succeeded');

    const held = trigger([{ key: 'SANDBOX_HOLD', value: 'true' }]);
    await expect.poll(() => held.state, { timeout: 10_000 }).toBe('IN_PROGRESS');
    const running = await run('pipeline.rerun', { repo: 'web', pipeline: held.buildNumber });
    expect(running.outcome).toBe('failed');
    expect(running.message).toMatch(new RegExp(`Pipeline #${held.buildNumber} is still running`));
    stack.sandbox.actions.stopPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', uuid: held.uuid });

    const unknown = await run('pipeline.rerun', { repo: 'web', pipeline: 999_999 });
    expect(unknown.outcome).toBe('failed');
    expect(unknown.message).toMatch(/No recent pipeline #999999/);
  });

  it('a step that may already have been applied finds the run it started and starts no other', async () => {
    const baseApiUrl = (await stack.bosun.services.deps.tenants.get(stack.clientKey))?.baseApiUrl ?? '';
    const { access_token: token } = stack.sandbox.oauth.issueTokens({ userNickname: 'alice', consumerKey: DEV_OAUTH_CONSUMER_KEY });
    const writes: string[] = [];
    const client = createBitbucketClient({
      baseApiUrl,
      auth: { kind: 'bearer', getAccessToken: async () => token },
      fetch: async (url, init) => {
        if ((init?.method ?? 'GET') !== 'GET') writes.push(`${init?.method} ${new URL(String(url)).pathname}`);
        return fetch(url, init);
      },
    });
    const tool = stack.tools.get('pipeline.rerun') as AnyTool;
    const failed = stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: 'main', selector: { type: 'custom', pattern: 'fail' } });
    await expect.poll(() => failed.result, { timeout: 10_000 }).toBe('FAILED');
    const attempt = (mayBeApplied: boolean) =>
      tool.run(
        { tenant: { clientKey: stack.clientKey, workspace: 'acme' }, actor: { userUuid: alice, accountId: null, kind: 'user' }, client, logger: silentLogger, now: () => new Date(), step: { idempotencyKey: 'exec-rerun#1', mayBeApplied } },
        tool.input.parse({ repo: 'web', pipeline: failed.buildNumber }),
      );
    const once = await attempt(false);
    expect(writes).toHaveLength(1);
    const again = await attempt(true);
    expect(writes).toHaveLength(1);
    expect(again.data).toEqual(once.data);
  });
});
