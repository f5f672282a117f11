import { describe, expect, it } from 'vitest';
import { toStaleBefore, toWorkspaceOverview, STALE_AFTER_DAYS } from '../../server/create-workspace-overview';
import type { TemplateBinding } from '../../server/policies/repository-template-store';
import { aggregateBuildState } from '../../server/rules';
import { HEAD_STATE_RANKS, type WorkspaceMirrorSnapshot } from '../../server/storage/sql-workspace-mirror-reader';

const NOW = new Date('2026-12-01T12:00:00Z');
const synced = new Date('2026-12-01T11:59:00Z');
const repo = (uuid: string, slug: string) => ({ uuid, fullName: `acme/${slug}`, pullRequestsSyncedAt: synced, name: slug, url: `https://bitbucket.org/acme/${slug}` });
const counts = (repositoryUuid: string, c: Partial<WorkspaceMirrorSnapshot['pullRequests'][number]>) => ({
  repositoryUuid, open: 0, ready: 0, failing: 0, stale: 0, worst: null, statusesPending: 0, lastMirroredAt: synced, ...c,
});

const snapshot: WorkspaceMirrorSnapshot = {
  repositories: [repo('{r1}', 'api'), repo('{r2}', 'web'), repo('{r3}', 'docs')],
  pullRequests: [counts('{r1}', { open: 3, ready: 1, failing: 1, stale: 1, worst: 'FAILED' }), counts('{r2}', { open: 1, worst: 'INPROGRESS' })],
  queues: [{ repository: '{r2}', stateJson: JSON.stringify({ entries: [{ state: 'waiting' }, { state: 'batched' }, { state: 'merged' }] }) }],
};
const bindings: TemplateBinding[] = [
  { fullName: 'acme/api', template: 'service', status: 'drifted', applied: [], pending: [{ setting: 'isPrivate', from: false, to: true }], error: null, checkedAt: NOW },
  { fullName: 'acme/web', template: 'service', status: 'in-sync', applied: [], pending: [], error: null, checkedAt: NOW },
];

describe('workspace page rows from the mirror', () => {
  it('rows carry the counts, queue length (waiting and batched) and drift per repository, with totals', () => {
    const view = toWorkspaceOverview(snapshot, bindings, NOW);
    expect(view.repositories.map((r) => [r.fullName, r.openPullRequests, r.readyToMerge, r.failingBuilds, r.stalePullRequests, r.queueLength, r.drift, r.buildState])).toEqual([
      ['acme/api', 3, 1, 1, 1, 0, 'drifted', 'FAILED'],
      ['acme/web', 1, 0, 0, 0, 2, 'in-sync', 'INPROGRESS'],
      ['acme/docs', 0, 0, 0, 0, 0, 'none', 'NONE'],
    ]);
    expect(view.repositories[0]).toMatchObject({ name: 'api', url: 'https://bitbucket.org/acme/api', template: 'service', driftDetails: ['make the repository private'] });
    expect(view.totals).toEqual({ repositories: 3, openPullRequests: 4, readyToMerge: 1, failingBuilds: 1, stalePullRequests: 1, queueLength: 2, drifted: 1 });
    expect(view.freshness).toEqual({ source: 'mirror', asOf: synced.toISOString(), complete: true });
    expect(toStaleBefore(NOW).toISOString()).toBe(new Date(NOW.getTime() - STALE_AFTER_DAYS * 86_400_000).toISOString());
  });

  it('is incomplete while a repository was never listed or an open PR head has no statuses listed', () => {
    expect(toWorkspaceOverview({ ...snapshot, repositories: [...snapshot.repositories, { ...repo('{r4}', 'new'), pullRequestsSyncedAt: null }] }, [], NOW).freshness.complete).toBe(false);
    expect(toWorkspaceOverview({ ...snapshot, pullRequests: [counts('{r1}', { open: 1, statusesPending: 1 })] }, [], NOW).freshness.complete).toBe(false);
    expect(toWorkspaceOverview({ repositories: [], pullRequests: [], queues: [] }, [], NOW).freshness.complete).toBe(false);
  });

  it('survives what it cannot read: no name or link, an unknown worst state, a queue that is not JSON', () => {
    const broken: WorkspaceMirrorSnapshot = {
      repositories: [{ ...repo('{r1}', 'api'), name: null, url: null }],
      pullRequests: [counts('{r1}', { open: 2, worst: 'WEIRD' })],
      queues: [{ repository: '{r1}', stateJson: '{' }],
    };
    const [row] = toWorkspaceOverview(broken, [], NOW).repositories;
    expect(row).toMatchObject({ fullName: 'acme/api', name: 'acme/api', url: null, openPullRequests: 2, queueLength: 0, buildState: 'NONE' });
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
