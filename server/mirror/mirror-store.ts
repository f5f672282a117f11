/** A repository as the mirror holds it. */
export interface MirroredRepository {
  uuid: string;
  fullName: string;
  /** Bitbucket's repository object as JSON (parsed again with its schema by the mirror). */
  dataJson: string;
  /** When its pull requests were last listed in full or incrementally (null: never). */
  pullRequestsSyncedAt: Date | null;
  /** The newest `updated_on` (ISO) among its mirrored pull requests: where an incremental sync starts. */
  highWater: string | null;
  /** Last webhook for this repository. */
  lastEventAt: Date | null;
}

export interface MirroredPullRequest {
  repositoryUuid: string;
  id: number;
  state: string;
  /** ISO instant of Bitbucket's `updated_on`; an older one never overwrites a newer one. */
  updatedOn: string;
  /** First 12 hex of the source commit (webhooks and lists carry the short hash). */
  sourceHash: string | null;
  /** Bitbucket's pull request object as JSON. */
  dataJson: string;
  /** The source commit whose statuses were listed in full (null: only what webhooks told). */
  statusesHash: string | null;
  mirroredAt: Date;
}

export interface MirroredStatus {
  repositoryUuid: string;
  /** First 12 hex of the commit. */
  commitHash: string;
  key: string;
  updatedOn: string;
  dataJson: string;
}

/** A branch head as the mirror holds it. */
export interface MirroredBranch {
  repositoryUuid: string;
  name: string;
  /** The full hash Bitbucket gave (a push gives 40 hex). */
  targetHash: string;
  /** ISO instant of the head commit's date; an older one never overwrites a newer one. */
  targetDate: string | null;
  mirroredAt: Date;
}

/**
 * What Bitbucket sends no webhook for, refreshed by the sweep: one JSON snapshot per repository and kind.
 * Webhooks, the Pipelines configuration and the main branch's merge strategies are what a template
 * preview compares (issue 14); Bosun's own template applies write them too.
 */
export const REPOSITORY_FACT_KINDS = ['default-reviewers', 'branch-restrictions', 'pipelines', 'webhooks', 'pipelines-config', 'merge-strategies'] as const;
export type RepositoryFactKind = (typeof REPOSITORY_FACT_KINDS)[number];

export interface MirroredRepositoryFact {
  repositoryUuid: string;
  kind: RepositoryFactKind;
  dataJson: string;
  syncedAt: Date;
}

export type BranchRecord = Pick<MirroredBranch, 'name' | 'targetHash' | 'targetDate'>;
export type RepositoryRecord = Pick<MirroredRepository, 'uuid' | 'fullName' | 'dataJson'>;
export type PullRequestRecord = Pick<MirroredPullRequest, 'id' | 'state' | 'updatedOn' | 'sourceHash' | 'dataJson'>;
export type StatusRecord = Pick<MirroredStatus, 'key' | 'updatedOn' | 'dataJson'>;

/** Rows of a batch of webhook projections, each with its tenant (a batch may hold several). */
export interface WebhookProjectionBatch {
  repositories: Array<{ clientKey: string; repository: RepositoryRecord }>;
  pullRequests: Array<{ clientKey: string; repositoryUuid: string; pullRequest: PullRequestRecord }>;
  statuses: Array<{ clientKey: string; repositoryUuid: string; commitHash: string; status: StatusRecord }>;
}

export type SyncState = 'running' | 'done' | 'deferred' | 'failed';

/** Where the tenant's long-running sync stands: admin settings show it. */
export interface SyncProgress {
  clientKey: string;
  state: SyncState;
  repositoriesTotal: number;
  repositoriesDone: number;
  statusesPending: number;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  lastSweepAt: Date | null;
  /** Why it waits or failed (budget deferral until …, an error code). */
  message: string | null;
}

/** The mirror's storage port (server/storage/sql-mirror-store.ts). Every row belongs to its tenant. */
export interface MirrorStore {
  upsertRepositories(clientKey: string, repositories: RepositoryRecord[], at: Date): Promise<void>;
  listRepositories(clientKey: string): Promise<MirroredRepository[]>;
  getRepository(clientKey: string, uuid: string): Promise<MirroredRepository | null>;
  markPullRequestsSynced(clientKey: string, repositoryUuid: string, at: Date): Promise<void>;
  markEvent(clientKey: string, repositoryUuid: string, at: Date): Promise<void>;
  /**
   * A webhook about this repository arrived at `at`: one statement that adds the repository from the
   * payload if the mirror has not met it (a known one keeps its fuller data) and sets its last event.
   */
  noteRepositoryEvent(clientKey: string, repository: RepositoryRecord, at: Date): Promise<void>;
  /**
   * What a batch of webhooks tells, in few writes (one on PostgreSQL, one per table on SQLite): each repository
   * noted as noteRepositoryEvent does, each pull request and status applied as applyPullRequests and applyStatuses
   * do. One row per key (the caller keeps the newest). Safe to repeat. Optional: without it the projection writes
   * webhook by webhook.
   */
  applyWebhookProjections?(batch: WebhookProjectionBatch, at: Date): Promise<void>;
  /**
   * Writes each pull request unless the stored one has a newer `updated_on` (equal ones are written:
   * an approval may not move `updated_on`). Answers how many were written.
   */
  applyPullRequests(clientKey: string, repositoryUuid: string, pullRequests: PullRequestRecord[], at: Date): Promise<number>;
  getPullRequest(clientKey: string, repositoryUuid: string, id: number): Promise<MirroredPullRequest | null>;
  listPullRequests(clientKey: string, repositoryUuid: string, states: string[]): Promise<MirroredPullRequest[]>;
  /** Open pull requests of the tenant whose current source commit's statuses were never listed. */
  listPullRequestsMissingStatuses(clientKey: string, limit: number): Promise<MirroredPullRequest[]>;
  /** Writes each status unless the stored one (same commit and key) is newer. */
  applyStatuses(clientKey: string, repositoryUuid: string, commitHash: string, statuses: StatusRecord[]): Promise<void>;
  /** The statuses of `commitHash` were listed in full for this pull request. */
  markStatusesSynced(clientKey: string, repositoryUuid: string, id: number, commitHash: string): Promise<void>;
  listStatuses(clientKey: string, repositoryUuid: string, commitHashes: string[]): Promise<MirroredStatus[]>;
  /** Open pull requests per repository whose statuses were never listed: the backfill still to do. */
  countPullRequestsMissingStatuses(clientKey: string): Promise<number>;
  /** Writes each head unless the stored one has a newer `targetDate`. Answers how many were written. */
  applyBranches(clientKey: string, repositoryUuid: string, branches: BranchRecord[], at: Date): Promise<number>;
  deleteBranches(clientKey: string, repositoryUuid: string, names: string[]): Promise<void>;
  /** A full listing: these heads, and no other branch of the repository. */
  replaceBranches(clientKey: string, repositoryUuid: string, branches: BranchRecord[], at: Date): Promise<void>;
  listBranches(clientKey: string, repositoryUuid: string): Promise<MirroredBranch[]>;
  saveRepositoryFact(clientKey: string, repositoryUuid: string, kind: RepositoryFactKind, dataJson: string, at: Date): Promise<void>;
  loadRepositoryFacts(clientKey: string, repositoryUuid: string): Promise<MirroredRepositoryFact[]>;
  /** The facts of these kinds for many repositories at once (a template preview over hundreds). */
  listRepositoryFacts(clientKey: string, repositoryUuids: readonly string[], kinds: readonly RepositoryFactKind[]): Promise<MirroredRepositoryFact[]>;
  /** Repositories of the tenant whose facts are missing or were synced before `before`, least recently synced first. */
  listRepositoriesWithStaleFacts(clientKey: string, before: Date, limit: number): Promise<string[]>;
  saveProgress(progress: SyncProgress): Promise<void>;
  loadProgress(clientKey: string): Promise<SyncProgress | null>;
}

/** Bitbucket's timestamps carry microseconds and an offset; the mirror compares instants. */
export function toInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Lists and webhooks give 12 hex, status endpoints the full 40: the mirror keys by the first 12. */
export function toShortHash(hash: string | null | undefined): string | null {
  return hash ? hash.slice(0, 12).toLowerCase() : null;
}
