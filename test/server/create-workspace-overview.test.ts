import { describe, expect, it } from 'vitest';
import { STALE_AFTER_DAYS, toWorkspaceOverview } from '../../server/create-workspace-overview';
import type { TemplateBinding } from '../../server/policies/repository-template-store';
import { aggregateBuildState } from '../../server/rules';
import { HEAD_STATE_RANKS, type WorkspaceMirrorSnapshot } from '../../server/storage/sql-workspace-mirror-reader';

const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const synced = new Date('2026-12-01T11:59:00Z');

const repo = (uuid: string, slug: string) => ({ uuid, fullName: `acme/${slug}`, pullRequestsSyncedAt: synced, name: slug, url: `https://bitbucket.org/acme/${slug}` });
const pr = (repositoryUuid: string, id: number, opts: { hash: string; updated: string; draft?: boolean; statusesListed?: boolean; head?: string | null }) => ({
  repositoryUuid, id, updatedOn: opts.updated, sourceHash: opts.hash, statusesHash: opts.statusesListed === false ? null : opts.hash, mirroredAt: synced, draft: opts.draft ?? false,
  headState: opts.head ?? null,
});

const snapshot: WorkspaceMirrorSnapshot = {
  repositories: [repo('{r1}', 'api'), repo('{r2}', 'web'), repo('{r3}', 'docs')],
  openPullRequests: [
    pr('{r1}', 1, { hash: 'aaaaaaaaaaaa', updated: daysAgo(1), head: 'SUCCESSFUL' }),
    pr('{r1}', 2, { hash: 'bbbbbbbbbbbb', updated: daysAgo(STALE_AFTER_DAYS + 1), head: 'FAILED' }),
    // A draft with green builds is not ready.
    pr('{r1}', 3, { hash: 'cccccccccccc', updated: daysAgo(2), draft: true, head: 'SUCCESSFUL' }),
    pr('{r2}', 1, { hash: 'dddddddddddd', updated: daysAgo(0), head: 'INPROGRESS' }),
  ],
  queues: [{ repository: '{r2}', stateJson: JSON.stringify({ entries: [{ state: 'waiting' }, { state: 'batched' }, { state: 'merged' }] }) }],
};
const bindings: TemplateBinding[] = [
  { fullName: 'acme/api', template: 'service', status: 'drifted', applied: [], pending: [{ setting: 'isPrivate', from: false, to: true }], error: null, checkedAt: NOW },
  { fullName: 'acme/web', template: 'service', status: 'in-sync', applied: [], pending: [], error: null, checkedAt: NOW },
];

describe('workspace page rows from the mirror', () => {
  it('counts open, ready, failing and stale PRs, queue length and drift per repository, with totals', () => {
    const view = toWorkspaceOverview(snapshot, bindings, NOW);
    expect(view.repositories.map((r) => [r.fullName, r.openPullRequests, r.readyToMerge, r.failingBuilds, r.stalePullRequests, r.queueLength, r.drift, r.buildState])).toEqual([
      ['acme/api', 3, 1, 1, 1, 0, 'drifted', 'FAILED'],
      ['acme/web', 1, 0, 0, 0, 2, 'in-sync', 'INPROGRESS'],
      ['acme/docs', 0, 0, 0, 0, 0, 'none', 'NONE'],
    ]);
    expect(view.repositories[0]).toMatchObject({ name: 'api', url: 'https://bitbucket.org/acme/api', template: 'service', driftDetails: ['make the repository private'] });
    expect(view.totals).toEqual({ repositories: 3, openPullRequests: 4, readyToMerge: 1, failingBuilds: 1, stalePullRequests: 1, queueLength: 2, drifted: 1 });
    expect(view.freshness).toEqual({ source: 'mirror', asOf: synced.toISOString(), complete: true });
  });

  it('is incomplete while a repository was never listed or an open PR head has no statuses listed', () => {
    expect(toWorkspaceOverview({ ...snapshot, repositories: [...snapshot.repositories, { ...repo('{r4}', 'new'), pullRequestsSyncedAt: null }] }, [], NOW).freshness.complete).toBe(false);
    expect(toWorkspaceOverview({ ...snapshot, openPullRequests: [pr('{r1}', 9, { hash: 'eeeeeeeeeeee', updated: daysAgo(0), statusesListed: false })] }, [], NOW).freshness.complete).toBe(false);
  });

  it('survives rows it cannot read: no name or link, a status of unknown state, a queue that is not JSON', () => {
    const broken: WorkspaceMirrorSnapshot = {
      repositories: [{ ...repo('{r1}', 'api'), name: null, url: null }],
      openPullRequests: [pr('{r1}', 1, { hash: 'aaaaaaaaaaaa', updated: daysAgo(0), head: 'WEIRD' }), pr('{r1}', 2, { hash: 'bbbbbbbbbbbb', updated: 'not a date' })],
      queues: [{ repository: '{r1}', stateJson: '{' }],
    };
    const [row] = toWorkspaceOverview(broken, [], NOW).repositories;
    expect(row).toMatchObject({ fullName: 'acme/api', name: 'acme/api', url: null, openPullRequests: 2, readyToMerge: 0, failingBuilds: 0, stalePullRequests: 0, queueLength: 0, buildState: 'NONE' });
  });

  it("the reader's worst-status ranks are aggregateBuildState's precedence, for every set of states", () => {
    const states = ['SUCCESSFUL', 'INPROGRESS', 'STOPPED', 'FAILED'] as const;
    for (let mask = 1; mask < 16; mask++) {
      const set = states.filter((_, i) => mask & (1 << i));
      const worst = [...HEAD_STATE_RANKS].reverse().find((s) => (set as readonly string[]).includes(s));
      expect(worst, set.join(',')).toBe(aggregateBuildState(set));
    }
  });
});
