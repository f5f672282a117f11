import { describe, expect, it } from 'vitest';
import { filterRepositories, toSlug, toWorkspaceSortKeys } from '../../../client/workspace/workspace-columns';
import type { WorkspaceRepositoryRowView } from '../../../server/web/api/workspace-overview-views';

const row = (fullName: string, patch: Partial<WorkspaceRepositoryRowView> = {}): WorkspaceRepositoryRowView => ({
  uuid: `{${fullName}}`, fullName, name: toSlug(fullName), url: null, openPullRequests: 0, readyToMerge: 0, failingBuilds: 0, stalePullRequests: 0, queueLength: 0,
  template: null, drift: 'none', driftDetails: [], buildState: 'NONE', ...patch,
});
const rows = [
  row('acme/api', { failingBuilds: 2, template: 'service', drift: 'drifted' }),
  row('acme/web', { readyToMerge: 1, template: 'service', drift: 'in-sync' }),
  row('acme/Docs', { stalePullRequests: 3, drift: 'none' }),
  row('acme/infra', { template: 'service', drift: 'partial' }),
];
const names = (r: WorkspaceRepositoryRowView[]) => r.map((x) => x.fullName);

describe('workspace table filters and sort keys', () => {
  it('keeps the repositories each filter names', () => {
    expect(names(filterRepositories(rows, 'all', ''))).toEqual(['acme/api', 'acme/web', 'acme/Docs', 'acme/infra']);
    expect(names(filterRepositories(rows, 'drifted', ''))).toEqual(['acme/api', 'acme/infra']);
    expect(names(filterRepositories(rows, 'failing', ''))).toEqual(['acme/api']);
    expect(names(filterRepositories(rows, 'ready', ''))).toEqual(['acme/web']);
    expect(names(filterRepositories(rows, 'stale', ''))).toEqual(['acme/Docs']);
    expect(names(filterRepositories(rows, 'no-template', ''))).toEqual(['acme/Docs']);
  });

  it('searches the full name, case aside, together with the filter', () => {
    expect(names(filterRepositories(rows, 'all', ' DOC '))).toEqual(['acme/Docs']);
    expect(names(filterRepositories(rows, 'drifted', 'inf'))).toEqual(['acme/infra']);
  });

  it('sorts drift by what needs attention first, names case-insensitively', () => {
    const order = [...rows].sort((a, b) => Number(toWorkspaceSortKeys(a).drift) - Number(toWorkspaceSortKeys(b).drift));
    expect(names(order)).toEqual(['acme/infra', 'acme/api', 'acme/web', 'acme/Docs']);
    expect(toWorkspaceSortKeys(rows[2]!).repository).toBe('acme/docs');
  });
});
