import { describe, expect, it } from 'vitest';
import type { BitbucketClient } from '../../server/bitbucket';
import { createQueuePreLandCheck } from '../../server/create-queue-pre-land-check';
import { applyQueueEvent, createMemoryMergeQueueStore, createQueueState, type QueueKey } from '../../server/merge-queue';
import { createMemoryPolicyStore } from '../../server/policies';

const KEY: QueueKey = { clientKey: 'ck', repository: 'acme/web', branch: 'main' };
const REPO_UUID = '{00000000-0000-4000-8000-0000000000c1}';
const HEAD = 'aaaaaaaaaaaa1111';

interface World {
  pr: { state: string; draft: boolean; title: string; head: string | null; destination: string };
  restrictions: Array<{ kind: string; value: number | null }>;
  statuses: Array<{ key: string; state: string }>;
  tasks: Array<{ state: string }>;
  calls: string[];
}

function fakeClient(w: World): BitbucketClient {
  const call = <T>(name: string, value: T) => {
    w.calls.push(name);
    return Promise.resolve(value);
  };
  return {
    pullRequests: {
      get: (_ws: string, _r: string, id: number) => call('pr', {
        id, state: w.pr.state, draft: w.pr.draft, title: w.pr.title, author: { uuid: '{author}' }, participants: [], task_count: 0,
        source: { branch: { name: 'feature/x' }, commit: w.pr.head ? { hash: w.pr.head } : null },
        destination: { branch: { name: w.pr.destination }, repository: { uuid: REPO_UUID, full_name: 'acme/web' } },
      }),
      listTasks: () => call('tasks', w.tasks),
    },
    repositories: { get: () => call('repository', { mainbranch: { name: 'main' } }) },
    branchRestrictions: {
      list: () => call('restrictions', w.restrictions.map((r, i) => ({ id: i + 1, kind: r.kind, value: r.value, branch_match_kind: 'glob', pattern: 'main', users: [], groups: [] }))),
    },
    defaultReviewers: { list: () => call('default-reviewers', []) },
    statuses: { listForCommit: () => call('statuses', w.statuses.map((s) => ({ ...s, name: s.key, url: 'https://ci.example' }))) },
    // The target's bosun.yml: none.
    source: { getFile: () => call('bosun.yml', null) },
  } as unknown as BitbucketClient;
}

async function setup(change: (w: World) => void = () => {}) {
  const w: World = { pr: { state: 'OPEN', draft: false, title: 'Add search', head: HEAD, destination: 'main' }, restrictions: [], statuses: [], tasks: [], calls: [] };
  change(w);
  const store = createMemoryMergeQueueStore();
  const queued = applyQueueEvent(createQueueState(KEY), { type: 'enqueue', prId: 7, by: 'ada', sourceCommit: HEAD }, new Date('2026-12-01T10:00:00Z')).state;
  queued.version = 1;
  await store.save(queued, 0);
  const policies = createMemoryPolicyStore();
  const check = createQueuePreLandCheck({ clientFor: async () => fakeClient(w), policies, store, now: () => new Date('2026-12-01T11:00:00Z') });
  return { w, policies, check: () => check(KEY, 7) };
}

describe('the check before a batch lands: the full readiness oracle against the current target', () => {
  it('a ready PR may land, after reading the PR, the target’s restrictions, default reviewers, tasks and the PR’s statuses', async () => {
    const t = await setup();
    expect(await t.check()).toBeNull();
    expect(new Set(t.w.calls)).toEqual(new Set(['pr', 'repository', 'restrictions', 'default-reviewers', 'tasks', 'statuses', 'bosun.yml']));
  });

  it('a PR marked draft after it was queued is refused with the oracle’s reason', async () => {
    const t = await setup((w) => { w.pr.draft = true; });
    expect(await t.check()).toMatch(/^Not ready to merge into main .*The pull request is a draft\.$/);
  });

  it('approvals the target’s restrictions require, and failed builds of the PR itself, are blockers', async () => {
    const approvals = await setup((w) => { w.restrictions = [{ kind: 'require_approvals_to_merge', value: 1 }]; });
    expect(await approvals.check()).toContain('approval');
    const failed = await setup((w) => {
      w.restrictions = [{ kind: 'require_passing_builds_to_merge', value: 1 }];
      w.statuses = [{ key: 'unit', state: 'FAILED' }];
    });
    expect(await failed.check()).toContain('Builds failed or stopped: unit.');
  });

  it('builds of the PR alone still running do not hold it: the queue has just tested it merged onto the target', async () => {
    const t = await setup((w) => {
      w.restrictions = [{ kind: 'require_passing_builds_to_merge', value: 1 }];
      w.statuses = [{ key: 'unit', state: 'INPROGRESS' }];
    });
    expect(await t.check()).toBeNull();
  });

  it('the policy counts: a title the workspace policy refuses blocks the landing', async () => {
    const t = await setup();
    await t.policies.save('ck', 'workspace', { readiness: { titlePattern: '^[A-Z]+-\\d+ ' } }, 'admin', 0);
    expect(await t.check()).toContain('The title does not match');
  });

  it('a closed PR, a new commit, or a PR retargeted elsewhere is refused before the oracle is read', async () => {
    const declined = await setup((w) => { w.pr.state = 'DECLINED'; });
    expect(await declined.check()).toBe('The pull request is declined.');
    const pushed = await setup((w) => { w.pr.head = 'bbbbbbbbbbbb2222'; });
    expect(await pushed.check()).toBe('A new commit (bbbbbbbbbbbb) was pushed after the PR was queued.');
    const moved = await setup((w) => { w.pr.destination = 'develop'; });
    expect(await moved.check()).toBe('The pull request now targets develop, not main.');
    expect(moved.w.calls).toEqual(['pr']);
  });
});
