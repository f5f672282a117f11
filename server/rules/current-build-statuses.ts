import { aggregateBuildState, type AggregateBuildState, type BuildStatusState } from './aggregate-build-state';

/** A commit status as the aggregation reads it (Bitbucket's `key`, `state` and times). */
export interface KeyedBuildStatus {
  key: string;
  state: BuildStatusState;
  updated_on?: string | null | undefined;
  created_on?: string | null | undefined;
}

const timeOf = (s: KeyedBuildStatus) => {
  const t = Date.parse(s.updated_on ?? s.created_on ?? '');
  return Number.isNaN(t) ? -Infinity : t;
};

/**
 * The statuses that still count on a commit: one per key, the latest (a list joined from the mirror and a live read
 * may hold an older copy). The key is the check's identity, as Bitbucket's merge checks read it: a status with the
 * same key overwrites the earlier one (openapi.json, `POST …/statuses/build`), while statuses with different keys all
 * count, even when one looks like a re-run of another ("Minimum number of successful builds" counts every FAILED on
 * the commit; Atlassian KB "Merge check fails when commit build statuses are created via Bitbucket Cloud API").
 * So Bosun supersedes exactly what Bitbucket does, and its overall state never reads green where Bitbucket blocks.
 * Pipelines re-runs need nothing more: Pipelines keys a run's status by its branch (`String.hashCode()` of the
 * refname, samples/webhooks/repo.commit_status_*--drone-go-scm.json), so a re-run on the same commit and branch
 * posts the same key; a run of another branch on that commit is another check. Order: first appearance of each key.
 */
export function toCurrentBuildStatuses<T extends KeyedBuildStatus>(statuses: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const s of statuses) {
    const held = latest.get(s.key);
    if (!held || timeOf(s) >= timeOf(held)) latest.set(s.key, s);
  }
  const seen = new Set<string>();
  return statuses.flatMap((s) => (seen.has(s.key) ? [] : (seen.add(s.key), [latest.get(s.key)!])));
}

/** The overall state of a commit's statuses, after superseded copies are dropped (aggregateBuildState's order). */
export const aggregateCommitStatuses = (statuses: readonly KeyedBuildStatus[]): AggregateBuildState =>
  aggregateBuildState(toCurrentBuildStatuses(statuses).map((s) => s.state));
