import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyTool, StepAttempt, ToolResult } from '../../../server/agent';
import { createBitbucketClient } from '../../../server/bitbucket';
import { DEV_OAUTH_CONSUMER_KEY } from '../../../sandbox';
import { silentLogger } from './agent-fakes';
import { startAgentStack, type AgentStack } from './start-agent-stack';

/**
 * Each effectful tool, run as a first attempt and then again as a step that may already have been
 * applied (what the executor says after taking over a run whose process died): the effect is in
 * the sandbox once, the repeat sends no write and returns what the first run returned, and the
 * first run makes no request it did not need before.
 */

let stack: AgentStack;
let baseApiUrl = '';
const alice = { userUuid: '{a11ce000-0000-4000-8000-000000000001}', accountId: null, kind: 'user' as const };

beforeAll(async () => {
  stack = await startAgentStack();
  baseApiUrl = (await stack.bosun.services.deps.tenants.get(stack.clientKey))?.baseApiUrl ?? '';
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

async function runTool(name: string, input: Record<string, unknown>, step: StepAttempt) {
  const sent: string[] = [];
  const { access_token: token } = stack.sandbox.oauth.issueTokens({ userNickname: 'alice', consumerKey: DEV_OAUTH_CONSUMER_KEY });
  const client = createBitbucketClient({
    baseApiUrl,
    auth: { kind: 'bearer', getAccessToken: async () => token },
    fetch: async (url, init) => {
      sent.push(`${init?.method ?? 'GET'} ${new URL(String(url)).pathname.replace('/2.0/repositories/acme/', '')}`);
      return fetch(url, init);
    },
  });
  const tool = stack.tools.get(name) as AnyTool;
  const result: ToolResult = await tool.run(
    { tenant: { clientKey: stack.clientKey, workspace: 'acme' }, actor: alice, client, logger: silentLogger, now: () => new Date(), step },
    tool.input.parse(input),
  );
  return { result, sent, writes: sent.filter((s) => !s.startsWith('GET ')) };
}

const first = (key: string): StepAttempt => ({ idempotencyKey: key, mayBeApplied: false });
const repeat = (key: string): StepAttempt => ({ idempotencyKey: key, mayBeApplied: true });
const repo = (slug: string) => stack.sandbox.state.repositories.find((r) => r.slug === slug)!;
const mainOf = (slug: string) => stack.sandbox.state.branches.find((b) => b.repoUuid === repo(slug).uuid && b.name === 'main')!.target;

describe('effectful tools are safe to repeat after a takeover', () => {
  it('pullRequest.comment: one comment, found again by its step marker', async () => {
    const input = { repo: 'web', pullRequestId: 1, body: 'Deploy started' };
    const once = await runTool('pullRequest.comment', input, first('exec-c#1'));
    expect(once.sent).toEqual(['POST web/pullrequests/1/comments']);
    const again = await runTool('pullRequest.comment', input, repeat('exec-c#1'));
    expect(again.writes).toEqual([]);
    expect(again.result).toEqual(once.result);
    const mine = () => stack.sandbox.state.comments.filter((c) => c.repoUuid === repo('web').uuid && c.prId === 1 && c.raw.startsWith('Deploy started'));
    expect(mine()).toHaveLength(1);
    expect(mine()[0]?.raw).toMatch(/\n\n<!-- bosun:step:[A-Za-z0-9_-]{22} -->$/);
    // Another step (another key) with the same words is another comment.
    await runTool('pullRequest.comment', input, repeat('exec-d#1'));
    expect(mine()).toHaveLength(2);
  });

  it('pullRequest.approve: an approval already there by that person is done, at no extra request', async () => {
    const once = await runTool('pullRequest.approve', { repo: 'web', pullRequestId: 1 }, first('exec-a#1'));
    expect(once.sent).toEqual(['GET web/pullrequests/1', 'POST web/pullrequests/1/approve']);
    const again = await runTool('pullRequest.approve', { repo: 'web', pullRequestId: 1 }, repeat('exec-a#1'));
    expect(again.sent).toEqual(['GET web/pullrequests/1']);
    expect(again.result).toEqual(once.result);
    const pr = stack.sandbox.state.pullRequests.find((p) => p.repoUuid === repo('web').uuid && p.id === 1)!;
    expect(pr.participants.filter((p) => p.userUuid === alice.userUuid && p.approved)).toHaveLength(1);
  });

  it('branch.create: a first run creates without looking; a repeat finds the branch at its target', async () => {
    const input = { repo: 'web', name: 'repeat/branch', from: 'main' };
    const once = await runTool('branch.create', input, first('exec-b#1'));
    expect(once.writes).toEqual(['POST web/refs/branches']);
    expect(once.sent).not.toContain('GET web/refs/branches/repeat/branch');
    const again = await runTool('branch.create', input, repeat('exec-b#1'));
    expect(again.writes).toEqual([]);
    expect(again.result).toEqual(once.result);
    // A first run of another request for the same branch: Bitbucket refuses, the branch is there: done.
    const other = await runTool('branch.create', input, first('exec-b2#1'));
    expect(other.result.summary).toContain('already exists');
    expect(stack.sandbox.state.branches.filter((b) => b.repoUuid === repo('web').uuid && b.name === 'repeat/branch')).toHaveLength(1);
  });

  it('pullRequest.open: the open PR from the same source to the same destination is the one opened', async () => {
    stack.sandbox.actions.createBranch({ workspace: 'acme', repo: 'api', actor: 'alice', name: 'repeat/open', target: mainOf('api') });
    stack.sandbox.actions.pushCommit({ workspace: 'acme', repo: 'api', branch: 'repeat/open', actor: 'alice', message: 'Work', files: { 'work.txt': 'x' } });
    const input = { repo: 'api', source: 'repeat/open', destination: 'main', title: 'Repeat me' };
    const once = await runTool('pullRequest.open', input, first('exec-o#1'));
    expect(once.writes).toEqual(['POST api/pullrequests']);
    const again = await runTool('pullRequest.open', input, repeat('exec-o#1'));
    expect(again.writes).toEqual([]);
    expect(again.result).toEqual(once.result);
    expect(stack.sandbox.state.pullRequests.filter((p) => p.repoUuid === repo('api').uuid && p.source.branch === 'repeat/open')).toHaveLength(1);
  });

  it('pullRequest.merge: a merged PR is done, with the first run\'s result', async () => {
    const once = await runTool('pullRequest.merge', { repo: 'api', pullRequestId: 1 }, first('exec-m#1'));
    expect(once.writes).toEqual(['POST api/pullrequests/1/merge']);
    const again = await runTool('pullRequest.merge', { repo: 'api', pullRequestId: 1 }, repeat('exec-m#1'));
    expect(again.writes).toEqual([]);
    expect(again.result).toEqual(once.result);
    expect(stack.sandbox.state.commits.filter((c) => c.repoUuid === repo('api').uuid && c.message.includes('(pull request #1)'))).toHaveLength(1);
  });

  it('buildStatus.report: one status per key; a repeat reads it and does not rewrite an identical one', async () => {
    const commit = mainOf('infra');
    const input = { repo: 'infra', commit, state: 'SUCCESSFUL', name: 'repeat-check', description: 'ok' };
    const once = await runTool('buildStatus.report', input, first('exec-s#1'));
    expect(once.sent).toEqual([`GET infra/commit/${commit}`, `POST infra/commit/${commit}/statuses/build`]);
    const updatedOn = stack.sandbox.state.statuses.find((s) => s.key === 'repeat-check')?.updatedOn;
    const again = await runTool('buildStatus.report', input, repeat('exec-s#1'));
    expect(again.writes).toEqual([]);
    expect(again.result).toEqual(once.result);
    const statuses = stack.sandbox.state.statuses.filter((s) => s.repoUuid === repo('infra').uuid && s.commitHash === commit && s.key === 'repeat-check');
    expect(statuses).toHaveLength(1);
    expect(statuses[0]?.updatedOn).toBe(updatedOn);
    // A repeat whose status differs (the first run never got there) writes it.
    const changed = await runTool('buildStatus.report', { ...input, state: 'FAILED' }, repeat('exec-s2#1'));
    expect(changed.writes).toEqual([`POST infra/commit/${commit}/statuses/build`]);
  });
});
