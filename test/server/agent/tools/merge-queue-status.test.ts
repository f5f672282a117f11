import { describe, expect, it } from 'vitest';
import { isClarification, isPlanningError, planNaturalLanguage, type ToolContext } from '../../../../server/agent';
import { createMergeQueueStatus } from '../../../../server/agent/tools/merge-queue-status';
import { toLandingText } from '../../../../server/agent/tools/merge-queue-target';
import type { BitbucketClient } from '../../../../server/bitbucket';
import { createMemoryMergeQueueStore, createMergeQueueDriver, type QueueKey, type QueueLandingPolicy } from '../../../../server/merge-queue';
import { createDriverQueuePort } from '../../../helpers/merge-queue-driver-port';
import { createTickingClock, silentLogger } from '../agent-fakes';
import { CORPUS_CONTEXTS } from '../corpus/corpus-contexts';

/**
 * mergeQueue.status answers how the queue merges on the branch (the effective policy's
 * mergeQueue.strategy and closeSourceBranch, as the port reads it for that repository and branch),
 * in its data and in its human answer (Ask Bosun's reply, `/bosun queue status`).
 */
function setup(policies: Record<string, QueueLandingPolicy>, pr: { closeSourceBranch: boolean; destination: string } = { closeSourceBranch: false, destination: 'main' }) {
  const now = createTickingClock();
  const store = createMemoryMergeQueueStore();
  const asked: QueueKey[] = [];
  const driver = createMergeQueueDriver({
    store, now, defaults: () => ({ frozen: true }),
    repositoryFor: async () => {
      throw new Error('a frozen queue builds nothing');
    },
  });
  const port = createDriverQueuePort(
    { driver, store, now },
    {
      loadLandingPolicy: async (key) => {
        asked.push(key);
        const policy = policies[`${key.repository}:${key.branch}`];
        if (!policy) throw new Error(`no policy for ${key.repository}:${key.branch}`);
        return policy;
      },
    },
  );
  const client = {
    pullRequests: {
      get: async (_w: string, _r: string, id: number) => ({
        id, state: 'OPEN', title: 'Add search', close_source_branch: pr.closeSourceBranch,
        source: { branch: { name: 'feature/search' }, commit: { hash: 'aaaaaaaaaaaa' } },
        destination: { branch: { name: pr.destination }, repository: { full_name: 'acme/web', uuid: '{0000000a-0000-4000-8000-0000000000b1}' } }, links: {},
      }),
    },
  } as unknown as BitbucketClient;
  const ctx: ToolContext = { tenant: { clientKey: 'ck-status', workspace: 'acme' }, actor: { kind: 'user', userUuid: '{a}', accountId: null }, client, logger: silentLogger, now };
  const tool = createMergeQueueStatus({ mergeQueue: port });
  return { tool, ctx, port, asked };
}

describe('mergeQueue.status names the strategy and source-branch closing the queue will use', () => {
  it("a branch's queue: fast_forward with every source branch deleted, read for that repository and branch", async () => {
    const { tool, ctx, asked } = setup({ 'acme/web:release/2.0': { strategy: 'fast_forward', closeSourceBranch: true }, 'acme/web:main': { strategy: 'merge_commit' } });
    const result = await tool.run(ctx, { repo: 'web', branch: 'release/2.0' });
    expect(asked).toEqual([{ clientKey: 'ck-status', repository: 'acme/web', branch: 'release/2.0' }]);
    expect(result.data).toMatchObject({ landing: { strategy: 'fast_forward', closeSourceBranch: true } });
    expect(result.summary).toContain('The release/2.0 merge queue of acme/web is empty.');
    expect(result.summary).toContain('uses the fast_forward strategy');
    expect(result.summary).toContain('no merge commit');
    expect(result.summary).toContain("it deletes each landed PR's source branch");
    expect(result.summary).toContain('mergeQueue.strategy');
  });

  it("a pull request: its destination's policy; with closeSourceBranch unset, the PR's own choice decides and is named", async () => {
    const { tool, ctx, port, asked } = setup({ 'acme/web:develop': { strategy: 'merge_commit' } }, { closeSourceBranch: true, destination: 'develop' });
    await port.submit({ clientKey: 'ck-status', repository: 'acme/web', branch: 'develop' }, { type: 'enqueue', prId: 7, by: 'ada', sourceCommit: 'aaaaaaaaaaaa' });
    const result = await tool.run(ctx, { repo: 'web', pullRequestId: 7 });
    expect(asked.map((k) => k.branch)).toEqual(['develop']);
    expect(result.data).toMatchObject({ place: { position: 1 }, landing: { strategy: 'merge_commit', closeSourceBranch: null, sourceBranchClosed: true } });
    expect(result.summary).toMatch(/^#7 is at position 1 of 1 in the develop queue/);
    expect(result.summary).toContain('uses the merge_commit strategy: each PR goes onto the tested branch with a merge commit');
    expect(result.summary).toContain("#7's is deleted");
  });

  it('the policy keeping source branches decides over the PR asking to close its own', async () => {
    const { tool, ctx } = setup({ 'acme/web:main': { strategy: 'merge_commit', closeSourceBranch: false } }, { closeSourceBranch: true, destination: 'main' });
    const result = await tool.run(ctx, { repo: 'web', pullRequestId: 3 });
    expect(result.data).toMatchObject({ landing: { closeSourceBranch: false, sourceBranchClosed: false } });
    expect(result.summary).toContain('#3 is not in the main merge queue.');
    expect(result.summary).toContain('it keeps every source branch');
    expect(result.summary).not.toContain("#3's is deleted");
  });
});

describe('Ask Bosun: "what strategy does the merge queue use" and the like', () => {
  it('plan the status tool, whose answer names the strategy and source-branch closing', async () => {
    const { tool, ctx } = setup({ 'acme/web:main': { strategy: 'fast_forward', closeSourceBranch: false } });
    const asked: Array<[string, 'pr' | 'repo']> = [
      ['what strategy does the merge queue use', 'pr'],
      ['how does the queue merge', 'pr'],
      ['does the merge queue close the source branch', 'pr'],
      ['which merge strategy will the queue use for main', 'repo'],
      ['does the main queue delete source branches', 'repo'],
    ];
    for (const [text, where] of asked) {
      const outcome = planNaturalLanguage(text, CORPUS_CONTEXTS[where]);
      if (isPlanningError(outcome) || isClarification(outcome)) throw new Error(`${text}: not planned`);
      expect(outcome.steps.map((s) => s.tool)).toEqual(['mergeQueue.status']);
      const result = await tool.run(ctx, tool.input.parse(outcome.steps[0]!.input));
      expect(result.summary, text).toContain('uses the fast_forward strategy');
      expect(result.summary, text).toContain('it keeps every source branch');
    }
  });
});

describe('toLandingText', () => {
  it('differs by strategy and by closing, and always says where the setting lives', () => {
    const texts = [
      toLandingText('main', { strategy: 'merge_commit', closeSourceBranch: null }),
      toLandingText('main', { strategy: 'fast_forward', closeSourceBranch: null }),
      toLandingText('main', { strategy: 'merge_commit', closeSourceBranch: true }),
      toLandingText('main', { strategy: 'merge_commit', closeSourceBranch: false }),
    ];
    expect(new Set(texts).size).toBe(4);
    for (const t of texts) expect(t).toContain("policy's mergeQueue.strategy and mergeQueue.closeSourceBranch");
    expect(texts[0]).toContain('each PR\'s own "close source branch" decides');
  });
});
