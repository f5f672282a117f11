import { describe, expect, it } from 'vitest';
import type { AnyTool } from '../../../server/agent';
import { createBitbucketClient } from '../../../server/bitbucket';
import { DEV_OAUTH_CONSUMER_KEY } from '../../../sandbox';
import { silentLogger } from './agent-fakes';
import { ALICE as alice, usePipelineToolStack } from './pipeline-tool-stack';

const env = usePipelineToolStack('pipeline-rerun');
const run = env.run;

describe('pipeline.rerun', () => {
  it('runs one finished run again on its branch, commit and pipeline; refuses a running one and an unknown one', async () => {
    const trigger = (variables: Array<{ key: string; value: string }>) =>
      env.stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: 'main', selector: { type: 'custom', pattern: 'fail' }, variables });
    const failed = trigger([]);
    await expect.poll(() => failed.result, { timeout: 10_000 }).toBe('FAILED');

    const again = await run('pipeline.rerun', { repo: 'web', pipeline: failed.buildNumber });
    expect(again.outcome).toBe('succeeded');
    const newest = env.newestRun('web');
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
    env.stack.sandbox.actions.stopPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', uuid: held.uuid });

    const unknown = await run('pipeline.rerun', { repo: 'web', pipeline: 999_999 });
    expect(unknown.outcome).toBe('failed');
    expect(unknown.message).toMatch(/No recent pipeline #999999/);
  });

  it('passes on the original run\'s variables, and says which secured ones it could not (Bitbucket never returns their values)', async () => {
    const variables = [
      { key: 'TARGET', value: 'staging' },
      { key: 'DEPLOY_TOKEN', value: 's3cret', secured: true },
      { key: 'DRY_RUN', value: 'false' },
    ];
    const failed = env.stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: 'main', selector: { type: 'custom', pattern: 'fail' }, variables });
    await expect.poll(() => failed.result, { timeout: 10_000 }).toBe('FAILED');
    const again = await run('pipeline.rerun', { repo: 'web', pipeline: failed.buildNumber });
    expect(again.outcome).toBe('succeeded');
    const rerun = env.newestRun('web');
    expect(rerun.buildNumber).toBeGreaterThan(failed.buildNumber);
    expect(rerun.selector).toEqual({ type: 'custom', pattern: 'fail' });
    expect(rerun.variables).toEqual([{ key: 'TARGET', value: 'staging', secured: false }, { key: 'DRY_RUN', value: 'false', secured: false }]);
    expect(again.steps[0]?.summary).toBe(
      `Started pipeline #${rerun.buildNumber} to run #${failed.buildNumber} (main) again. Secured variable DEPLOY_TOKEN could not be passed on (Bitbucket never returns secured values).`,
    );
    await expect.poll(() => rerun.state, { timeout: 10_000 }).toBe('COMPLETED');

    // The last failed run of a branch is re-run the same way.
    const flaky = env.stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: 'main', variables: [{ key: 'SANDBOX_FLAKY', value: 'true' }, { key: 'TARGET', value: 'qa' }] });
    await expect.poll(() => flaky.result, { timeout: 10_000 }).toBe('FAILED');
    const failedAgain = await run('pipeline.rerunFailed', { repo: 'web', branch: 'main' });
    expect(failedAgain.outcome).toBe('succeeded');
    const second = env.newestRun('web');
    expect(second.variables).toEqual([{ key: 'SANDBOX_FLAKY', value: 'true', secured: false }, { key: 'TARGET', value: 'qa', secured: false }]);
    expect(failedAgain.steps[0]?.summary).toBe(`Pipeline #${flaky.buildNumber} failed on main; started #${second.buildNumber} to run it again.`);
    // A flaky run's re-run passes: the status on the commit (one key for main) turns green.
    await expect.poll(() => second.result, { timeout: 10_000 }).toBe('SUCCESSFUL');
    const onCommit = env.stack.sandbox.state.statuses.filter((s) => s.repoUuid === second.repoUuid && s.commitHash === second.commitHash && s.refname === 'main' && s.name.startsWith('Pipeline #'));
    expect(onCommit.map((s) => [s.name, s.state])).toEqual([[`Pipeline #${second.buildNumber} for main`, 'SUCCESSFUL']]);
  });

  it('a step that may already have been applied finds the run it started and starts no other', async () => {
    const baseApiUrl = (await env.stack.bosun.services.deps.tenants.get(env.stack.clientKey))?.baseApiUrl ?? '';
    const { access_token: token } = env.stack.sandbox.oauth.issueTokens({ userNickname: 'alice', consumerKey: DEV_OAUTH_CONSUMER_KEY });
    const writes: string[] = [];
    const client = createBitbucketClient({
      baseApiUrl,
      auth: { kind: 'bearer', getAccessToken: async () => token },
      fetch: async (url, init) => {
        if ((init?.method ?? 'GET') !== 'GET') writes.push(`${init?.method} ${new URL(String(url)).pathname}`);
        return fetch(url, init);
      },
    });
    const tool = env.stack.tools.get('pipeline.rerun') as AnyTool;
    const failed = env.stack.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: 'main', selector: { type: 'custom', pattern: 'fail' } });
    await expect.poll(() => failed.result, { timeout: 10_000 }).toBe('FAILED');
    const attempt = (mayBeApplied: boolean) =>
      tool.run(
        { tenant: { clientKey: env.stack.clientKey, workspace: 'acme' }, actor: { userUuid: alice, accountId: null, kind: 'user' }, client, logger: silentLogger, now: () => new Date(), step: { idempotencyKey: 'exec-rerun#1', mayBeApplied } },
        tool.input.parse({ repo: 'web', pipeline: failed.buildNumber }),
      );
    const once = await attempt(false);
    expect(writes).toHaveLength(1);
    const again = await attempt(true);
    expect(writes).toHaveLength(1);
    expect(again.data).toEqual(once.data);
  });
});
