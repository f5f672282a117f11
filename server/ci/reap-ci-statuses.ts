/**
 * The reaper's run for one tenant: every status Bosun reported INPROGRESS and has not heard of for
 * longer than `maxAgeMs` becomes STOPPED with an explanation (the pure rule: reap-stale-builds.ts).
 * The reaped state is saved by compare and set like any delivery, keeping the run and time it had,
 * so a result the CI sends afterwards for the same run (or a later run) still replaces it.
 */
import type { CiIntegrationStore } from './ci-integration-store';
import { reapStaleBuilds } from './reap-stale-builds';
import type { CiClient } from './report-ci-build';

const BATCH = 200;

export async function reapCiStatuses(
  deps: { client: CiClient; store: CiIntegrationStore; clientKey: string; now: () => Date; maxAgeMs: number },
): Promise<{ reaped: number }> {
  const now = deps.now();
  const stale = await deps.store.listInProgressBefore(deps.clientKey, new Date(now.getTime() - deps.maxAgeMs), BATCH);
  let reaped = 0;
  for (const record of stale) {
    const [decision] = reapStaleBuilds(
      [{ repository: record.repository, commit: record.commit, key: record.key, state: record.status.state, name: record.status.name, url: record.status.url, updatedOn: record.updatedAt.toISOString(), ...(record.status.refname ? { refname: record.status.refname } : {}) }],
      { now, maxAgeMs: deps.maxAgeMs },
    );
    if (!decision) continue;
    const reported = { ...record.reported, state: 'aborted' as const, fingerprint: `reaped:${record.reported.fingerprint}`.slice(0, 64), claimedBy: 'reaper' };
    const saved = await deps.store.saveReported(record, { reported, status: decision.status, updatedAt: now }, record.reported.fingerprint);
    // Lost the race: a delivery for this key arrived meanwhile, and it is the newer word.
    if (!saved) continue;
    const [workspace, repoSlug] = record.repository.split('/');
    if (!workspace || !repoSlug) continue;
    await deps.client.statuses.createBuild(workspace, repoSlug, record.commit, decision.status);
    reaped += 1;
  }
  return { reaped };
}
