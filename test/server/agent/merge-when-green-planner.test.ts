import { describe, expect, it } from 'vitest';
import { createMergeWhenGreenPlanner, MERGE_QUEUE_ENQUEUE_TOOL, type AutoMerge, type MergeRouteContext } from '../../../server/agent';
import { ForbiddenError, type BitbucketClient } from '../../../server/bitbucket';
import { alice, tenant } from './agent-fakes';

const autoMerge: AutoMerge = {
  id: 7,
  clientKey: tenant.clientKey,
  repositoryFullName: 'acme/web',
  repositoryUuid: '{0000000a-0000-4000-8000-000000000001}',
  pullRequestId: 3,
  mergeStrategy: 'squash',
  requestedByUuid: alice.userUuid,
  requestedByAccountId: alice.accountId,
  state: 'pending',
  reason: null,
  attempts: 0,
  createdAt: new Date('2026-03-01T09:00:00Z'),
  updatedAt: new Date('2026-03-01T09:00:00Z'),
};

type Build = 'SUCCESSFUL' | 'INPROGRESS' | 'FAILED';

/** A fake client that counts every read, so a test can say how often the PR was fetched. */
function createCountingClient(pr: { state: string; hash?: string; draft?: boolean }, build: Build = 'SUCCESSFUL', restrictions: 'none' | 'forbidden' = 'none') {
  const calls: string[] = [];
  const client = {
    pullRequests: {
      get: async (workspace: string, repo: string, id: number) => {
        calls.push(`get ${workspace}/${repo}#${id}`);
        return {
          id,
          title: 'Add search',
          state: pr.state,
          draft: pr.draft ?? false,
          source: { branch: { name: 'feature' }, commit: { hash: pr.hash ?? 'abc123def456' } },
          destination: { branch: { name: 'main' }, commit: { hash: '000111222333' } },
          participants: [],
        };
      },
      listStatuses: async () => {
        calls.push('statuses');
        return [{ key: 'ci', state: build, name: 'CI' }];
      },
      listTasks: async () => {
        calls.push('tasks');
        return [];
      },
    },
    branchRestrictions: {
      list: async () => {
        calls.push('restrictions');
        if (restrictions === 'forbidden') throw new ForbiddenError('needs repository:admin', { method: 'GET', path: '/repositories/acme/web/branch-restrictions' }, null, { required: ['repository:admin'], granted: null });
        return [];
      },
    },
  } as unknown as BitbucketClient;
  return { client, calls };
}

const gets = (calls: string[]) => calls.filter((c) => c.startsWith('get ')).length;

describe('merge-when-green planner: the decision from one read of the PR', () => {
  it('a ready PR plans a merge with the armed strategy, reading the PR once (route defaults to direct)', async () => {
    const { client, calls } = createCountingClient({ state: 'OPEN' });
    const decision = await createMergeWhenGreenPlanner().plan({ tenant, autoMerge, commitHash: 'abc123def456789', client });
    expect(decision).toEqual({
      kind: 'execute',
      pullRequestId: 3,
      route: 'direct',
      plan: {
        summary: 'Merge #3 now that its builds passed',
        source: 'rule',
        steps: [{ tool: 'pullRequest.merge', input: { workspace: 'acme', repo: autoMerge.repositoryUuid, pullRequestId: 3, strategy: 'squash' } }],
      },
    });
    expect(gets(calls)).toBe(1);
    expect(calls).toContain('statuses');
  });

  it('when the route says queue, it plans the merge queue enqueue of the head that passed instead of a merge', async () => {
    const { client, calls } = createCountingClient({ state: 'OPEN', hash: 'fedcba987654' });
    const seen: MergeRouteContext[] = [];
    const planner = createMergeWhenGreenPlanner({
      mergeRoute: async (context) => {
        seen.push(context);
        return 'queue';
      },
    });
    const decision = await planner.plan({ tenant, autoMerge, commitHash: null, client });
    expect(decision).toMatchObject({
      kind: 'execute',
      route: 'queue',
      plan: { source: 'rule', steps: [{ tool: MERGE_QUEUE_ENQUEUE_TOOL, input: { workspace: 'acme', repo: autoMerge.repositoryUuid, pullRequestId: 3, sourceCommit: 'fedcba987654' } }] },
    });
    // The route is given the PR already read: deciding the route reads nothing more.
    expect(seen).toHaveLength(1);
    expect(seen[0]?.pullRequest.id).toBe(3);
    expect(seen[0]?.autoMerge.id).toBe(7);
    expect(gets(calls)).toBe(1);
  });

  it('a build still running waits (the route is not asked); a failed build is blocked with its reason', async () => {
    let asked = 0;
    const planner = createMergeWhenGreenPlanner({ mergeRoute: async () => (asked++, 'direct') });
    const running = createCountingClient({ state: 'OPEN' }, 'INPROGRESS');
    const waiting = await planner.plan({ tenant, autoMerge, commitHash: null, client: running.client });
    expect(waiting).toMatchObject({ kind: 'wait', readiness: { ready: false, verdict: 'waiting' } });
    const failed = createCountingClient({ state: 'OPEN' }, 'FAILED');
    const blocked = await planner.plan({ tenant, autoMerge, commitHash: null, client: failed.client });
    expect(blocked).toMatchObject({ kind: 'wait', readiness: { ready: false, verdict: 'blocked' } });
    expect(blocked.kind === 'wait' && blocked.readiness.reasons.join(' ')).toMatch(/CI|build/i);
    expect(asked).toBe(0);
    expect(gets(running.calls) + gets(failed.calls)).toBe(2);
  });

  it('merged elsewhere, declined, or a status about another commit: decided from the PR alone, nothing else read', async () => {
    const planner = createMergeWhenGreenPlanner();
    const merged = createCountingClient({ state: 'MERGED' });
    expect(await planner.plan({ tenant, autoMerge, commitHash: null, client: merged.client })).toEqual({ kind: 'merged-elsewhere', pullRequestId: 3 });
    const declined = createCountingClient({ state: 'DECLINED' });
    expect(await planner.plan({ tenant, autoMerge, commitHash: null, client: declined.client })).toEqual({ kind: 'closed', pullRequestId: 3, state: 'DECLINED' });
    const moved = createCountingClient({ state: 'OPEN', hash: 'fff000111222' });
    expect(await planner.plan({ tenant, autoMerge, commitHash: 'abc123def456', client: moved.client })).toEqual({ kind: 'other-commit', pullRequestId: 3 });
    expect([...merged.calls, ...declined.calls, ...moved.calls]).toEqual(Array(3).fill(`get acme/${autoMerge.repositoryUuid}#3`));
  });

  it('branch restrictions Bosun may not read count as not used; other errors are not swallowed', async () => {
    const forbidden = createCountingClient({ state: 'OPEN' }, 'SUCCESSFUL', 'forbidden');
    expect(await createMergeWhenGreenPlanner().plan({ tenant, autoMerge, commitHash: null, client: forbidden.client })).toMatchObject({ kind: 'execute', route: 'direct' });
    const broken = createCountingClient({ state: 'OPEN' });
    (broken.client.pullRequests as unknown as { listTasks: () => Promise<never> }).listTasks = async () => {
      throw new Error('boom');
    };
    await expect(createMergeWhenGreenPlanner().plan({ tenant, autoMerge, commitHash: null, client: broken.client })).rejects.toThrow('boom');
  });
});
