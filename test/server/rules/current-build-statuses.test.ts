import { describe, expect, it } from 'vitest';
import { aggregateCommitStatuses, toCurrentBuildStatuses, type KeyedBuildStatus } from '../../../server/rules';
import { toPipelineStatusKey } from '../../../sandbox/pipelines/to-pipeline-status';

type Status = KeyedBuildStatus & { name: string };
const at = (minute: number) => `2026-01-12T10:${String(minute).padStart(2, '0')}:00+00:00`;
/** A Pipelines status as Bitbucket posts it: keyed by the branch, named for the run. */
const pipeline = (n: number, branch: string, state: Status['state'], minute: number): Status => ({
  key: toPipelineStatusKey(branch), name: `Pipeline #${n} for ${branch}`, state, created_on: at(0), updated_on: at(minute),
});
const other = (key: string, state: Status['state'], minute: number): Status => ({ key, name: key, state, updated_on: at(minute) });

describe('toCurrentBuildStatuses and aggregateCommitStatuses', () => {
  const cases: Array<{ name: string; statuses: Status[]; current: string[]; overall: string }> = [
    { name: 'no status is pending, never green', statuses: [], current: [], overall: 'NONE' },
    {
      name: 'a Pipelines re-run on the same branch supersedes the failed run (same key, later)',
      statuses: [pipeline(4, 'feature/login', 'FAILED', 5), pipeline(5, 'feature/login', 'SUCCESSFUL', 9)],
      current: ['Pipeline #5 for feature/login'], overall: 'SUCCESSFUL',
    },
    {
      name: 'an older copy listed after the newer one does not bring the failure back',
      statuses: [pipeline(5, 'feature/login', 'SUCCESSFUL', 9), pipeline(4, 'feature/login', 'FAILED', 5)],
      current: ['Pipeline #5 for feature/login'], overall: 'SUCCESSFUL',
    },
    {
      name: 'a re-run still running makes the commit in progress, not failed',
      statuses: [pipeline(4, 'feature/login', 'FAILED', 5), pipeline(5, 'feature/login', 'INPROGRESS', 6)],
      current: ['Pipeline #5 for feature/login'], overall: 'INPROGRESS',
    },
    {
      name: 'a run of another branch on the same commit is another check',
      statuses: [pipeline(4, 'feature/login', 'SUCCESSFUL', 9), pipeline(2, 'release/1.2', 'FAILED', 5)],
      current: ['Pipeline #4 for feature/login', 'Pipeline #2 for release/1.2'], overall: 'FAILED',
    },
    {
      name: 'another CI\'s failure is not superseded by a green Pipelines run',
      statuses: [other('jenkins-build', 'FAILED', 1), pipeline(5, 'feature/login', 'SUCCESSFUL', 9)],
      current: ['jenkins-build', 'Pipeline #5 for feature/login'], overall: 'FAILED',
    },
    {
      name: 'a CI that posts a new key per run leaves its old failure counting, as Bitbucket\'s merge check does',
      statuses: [other('build-41', 'FAILED', 1), other('build-42', 'SUCCESSFUL', 3)],
      current: ['build-41', 'build-42'], overall: 'FAILED',
    },
    {
      name: 'stopped beats in progress, and all green is green',
      statuses: [other('lint', 'STOPPED', 1), other('e2e', 'INPROGRESS', 2)], current: ['lint', 'e2e'], overall: 'STOPPED',
    },
    { name: 'all successful', statuses: [other('lint', 'SUCCESSFUL', 1), pipeline(1, 'main', 'SUCCESSFUL', 2)], current: ['lint', 'Pipeline #1 for main'], overall: 'SUCCESSFUL' },
  ];
  it.each(cases)('$name', ({ statuses, current, overall }) => {
    expect(toCurrentBuildStatuses(statuses).map((s) => s.name)).toEqual(current);
    expect(aggregateCommitStatuses(statuses)).toBe(overall);
  });

  it('keeps the later copy when one has no time at all', () => {
    const timeless: Status = { key: 'ci', name: 'old', state: 'FAILED' };
    expect(toCurrentBuildStatuses([timeless, { ...timeless, name: 'new', state: 'SUCCESSFUL', updated_on: at(1) }]).map((s) => s.name)).toEqual(['new']);
  });
});
