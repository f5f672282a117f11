/**
 * The reaper's rule: a build status still INPROGRESS long after it last changed is a build whose
 * CI died or never sent its result (Jenkins restarts, a cancelled runner); left alone it blocks
 * the PR forever. Past `maxAgeMs` it becomes STOPPED with an explanation. Pure: the scheduler
 * gives it the statuses and the time.
 */
import type { CiStatusUpdate } from './to-bitbucket-status';

export interface TrackedBuildStatus {
  repository: string;
  commit: string;
  key: string;
  state: 'INPROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'STOPPED';
  name: string;
  url: string;
  refname?: string;
  /** When Bosun (or Bitbucket) last saw this status change, ISO 8601. */
  updatedOn: string;
}

export interface ReapedBuildStatus {
  repository: string;
  commit: string;
  status: CiStatusUpdate;
}

/** A day: long enough for any sane build, short enough that a stuck one does not sit for a week. */
export const DEFAULT_REAP_AFTER_MS = 24 * 60 * 60 * 1000;

function toDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

/** The STOPPED updates for every INPROGRESS status older than `maxAgeMs` at `now`. */
export function reapStaleBuilds(
  statuses: readonly TrackedBuildStatus[],
  options: { now: Date; maxAgeMs?: number },
): ReapedBuildStatus[] {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_REAP_AFTER_MS;
  const now = options.now.getTime();
  return statuses
    .filter((status) => {
      if (status.state !== 'INPROGRESS') return false;
      const updated = Date.parse(status.updatedOn);
      return !Number.isNaN(updated) && now - updated > maxAgeMs;
    })
    .map((status) => ({
      repository: status.repository,
      commit: status.commit,
      status: {
        key: status.key,
        state: 'STOPPED',
        name: status.name,
        url: status.url,
        description: `Stopped by Bosun: no result from the CI for over ${toDuration(maxAgeMs)}. Re-run the build to report again.`,
        ...(status.refname === undefined ? {} : { refname: status.refname }),
      },
    }));
}
