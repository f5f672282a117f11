import type { PullRequestState } from '../bitbucket';
import type { MirrorSource } from './mirror-source';
import type { MirrorStore, SyncProgress } from './mirror-store';
import { toPullRequestRecord, toRepositoryRecord, toStatusRecord } from './to-mirror-records';

const ALL_STATES: PullRequestState[] = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'];
const DAY_MS = 86_400_000;

export interface MirrorSyncOptions {
  store: MirrorStore;
  now: () => Date;
  /** Closed pull requests younger than this are mirrored too; default 7 days. */
  recentlyClosedMs?: number;
}

export interface MirrorSync {
  /**
   * Lists the workspace's repositories, then each repository's open and recently closed pull requests
   * (one request per repository for up to 50). Resumable: a repository already synced is skipped, so a
   * run deferred by the budget goes on where it stopped. Statuses are left to the backfill.
   */
  initialSync(clientKey: string, source: MirrorSource): Promise<SyncProgress>;
  /** Pull requests of one repository updated since the newest the mirror holds (`updated_on` order). */
  syncRepository(clientKey: string, source: MirrorSource, repositoryUuid: string): Promise<number>;
  /**
   * The reconciliation sweep: re-reads the repositories most likely to have missed a webhook (recent
   * events first, then the longest unsynced) and lists statuses still unknown, within `maxRequests`.
   */
  sweep(clientKey: string, source: MirrorSource, opts?: { maxRepositories?: number; maxStatuses?: number }): Promise<{ repositories: number; pullRequests: number; statuses: number }>;
  /** Lists statuses of open pull requests whose current commit's statuses were never listed. */
  backfillStatuses(clientKey: string, source: MirrorSource, max: number): Promise<number>;
}

/** BBQL datetimes are quoted ISO strings here (the sandbox requires quotes; Bitbucket accepts them: unverified). */
const bbqlTime = (iso: string) => `"${iso}"`;

/**
 * When a source's request was deferred by the rate budget (an error carrying `retryAt`, possibly wrapped by the
 * client as its cause), the time to go on; null for any other failure.
 */
function findRetryAt(err: unknown): Date | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const retryAt = (e as { retryAt?: unknown }).retryAt;
    if (retryAt instanceof Date) return retryAt;
  }
  return null;
}

export function createMirrorSync(opts: MirrorSyncOptions): MirrorSync {
  const { store, now } = opts;
  const recentlyClosedMs = opts.recentlyClosedMs ?? 7 * DAY_MS;

  const syncFull = async (clientKey: string, source: MirrorSource, repositoryUuid: string): Promise<number> => {
    const cutoff = new Date(now().getTime() - recentlyClosedMs).toISOString();
    const prs = await source.listPullRequests(repositoryUuid, { states: ALL_STATES, q: `state = "OPEN" OR updated_on > ${bbqlTime(cutoff)}`, sort: '-updated_on' });
    const written = await store.applyPullRequests(clientKey, repositoryUuid, prs.map(toPullRequestRecord), now());
    await store.markPullRequestsSynced(clientKey, repositoryUuid, now());
    return written;
  };

  const syncRepository: MirrorSync['syncRepository'] = async (clientKey, source, repositoryUuid) => {
    const repo = await store.getRepository(clientKey, repositoryUuid);
    if (!repo?.pullRequestsSyncedAt || !repo.highWater) return syncFull(clientKey, source, repositoryUuid);
    // `>=`: an event that left updated_on where it was (an approval may) is read again, not skipped.
    const prs = await source.listPullRequests(repositoryUuid, { states: ALL_STATES, q: `updated_on >= ${bbqlTime(repo.highWater)}`, sort: '-updated_on' });
    const written = await store.applyPullRequests(clientKey, repositoryUuid, prs.map(toPullRequestRecord), now());
    await store.markPullRequestsSynced(clientKey, repositoryUuid, now());
    return written;
  };

  const backfillStatuses: MirrorSync['backfillStatuses'] = async (clientKey, source, max) => {
    let done = 0;
    for (const pr of await store.listPullRequestsMissingStatuses(clientKey, max)) {
      const hash = pr.sourceHash;
      if (!hash) continue;
      const statuses = await source.listPullRequestStatuses(pr.repositoryUuid, pr.id);
      await store.applyStatuses(clientKey, pr.repositoryUuid, hash, statuses.map(toStatusRecord));
      await store.markStatusesSynced(clientKey, pr.repositoryUuid, pr.id, hash);
      done++;
    }
    return done;
  };

  return {
    syncRepository,
    backfillStatuses,
    async initialSync(clientKey, source) {
      const previous = await store.loadProgress(clientKey);
      const startedAt = previous && previous.state !== 'done' ? previous.startedAt : now();
      let progress: SyncProgress = {
        clientKey, state: 'running', repositoriesTotal: previous?.repositoriesTotal ?? 0, repositoriesDone: 0, statusesPending: 0,
        startedAt, updatedAt: now(), finishedAt: null, lastSweepAt: previous?.lastSweepAt ?? null, message: null,
      };
      const save = async (patch: Partial<SyncProgress>) => {
        progress = { ...progress, ...patch, updatedAt: now() };
        await store.saveProgress(progress);
      };
      let done = 0;
      try {
        await save({});
        const repositories = await source.listRepositories();
        await store.upsertRepositories(clientKey, repositories.map(toRepositoryRecord), now());
        const mirrored = await store.listRepositories(clientKey);
        const synced = new Set(mirrored.filter((r) => r.pullRequestsSyncedAt).map((r) => r.uuid));
        await save({ repositoriesTotal: repositories.length, repositoriesDone: repositories.filter((r) => synced.has(r.uuid)).length });
        done = progress.repositoriesDone;
        for (const [i, repo] of repositories.entries()) {
          if (synced.has(repo.uuid)) continue;
          await syncFull(clientKey, source, repo.uuid);
          done++;
          if (done % 10 === 0 || i === repositories.length - 1) await save({ repositoriesDone: done });
        }
        await save({ state: 'done', repositoriesDone: done, finishedAt: now(), statusesPending: await store.countPullRequestsMissingStatuses(clientKey) });
        return progress;
      } catch (err) {
        const retryAt = findRetryAt(err);
        await save({
          repositoriesDone: Math.max(done, progress.repositoriesDone),
          state: retryAt ? 'deferred' : 'failed',
          message: retryAt ? `Waiting for the rate budget until ${retryAt.toISOString()}` : err instanceof Error ? err.name : 'Error',
        });
        throw err;
      }
    },
    async sweep(clientKey, source, sweepOpts = {}) {
      const maxRepositories = sweepOpts.maxRepositories ?? 20;
      const repos = await store.listRepositories(clientKey);
      const at = now().getTime();
      const ranked = [...repos].sort((a, b) => {
        // Repositories with an event in the last hour first (a missed webhook sits next to delivered ones),
        // then the one synced longest ago.
        const recentA = a.lastEventAt && at - a.lastEventAt.getTime() < 3_600_000 ? a.lastEventAt.getTime() : 0;
        const recentB = b.lastEventAt && at - b.lastEventAt.getTime() < 3_600_000 ? b.lastEventAt.getTime() : 0;
        if (recentA !== recentB) return recentB - recentA;
        return (a.pullRequestsSyncedAt?.getTime() ?? 0) - (b.pullRequestsSyncedAt?.getTime() ?? 0);
      });
      let pullRequests = 0;
      const picked = ranked.slice(0, maxRepositories);
      for (const repo of picked) pullRequests += await syncRepository(clientKey, source, repo.uuid);
      const statuses = await backfillStatuses(clientKey, source, sweepOpts.maxStatuses ?? 20);
      const progress = await store.loadProgress(clientKey);
      if (progress) await store.saveProgress({ ...progress, lastSweepAt: now(), updatedAt: now(), statusesPending: await store.countPullRequestsMissingStatuses(clientKey) });
      return { repositories: picked.length, pullRequests, statuses };
    },
  };
}
