import { QueryTypes } from 'sequelize';
import type { Database } from './create-database';

/** One tenant's whole mirror, as the workspace view needs it: every repository, its open PRs, their head statuses. */
export interface WorkspaceMirrorSnapshot {
  repositories: Array<{ uuid: string; fullName: string; dataJson: string; pullRequestsSyncedAt: Date | null }>;
  openPullRequests: Array<{ repositoryUuid: string; id: number; updatedOn: string; sourceHash: string | null; statusesHash: string | null; dataJson: string; mirroredAt: Date }>;
  /** Statuses of the open pull requests' source commits only (closed PRs' commits are not read). */
  statuses: Array<{ repositoryUuid: string; commitHash: string; dataJson: string }>;
  /** Merge queues (one per repository and branch) as stored JSON. */
  queues: Array<{ repository: string; stateJson: string }>;
}

export interface WorkspaceMirrorReader {
  load(clientKey: string): Promise<WorkspaceMirrorSnapshot>;
}

const toDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

/**
 * Reads the workspace view's data in four queries, whatever the number of repositories: the view
 * over 500 repositories must not be 500 round trips. Every query is scoped by the tenant's key.
 */
export function createSqlWorkspaceMirrorReader(db: Database): WorkspaceMirrorReader {
  const q = db.sequelize;
  return {
    async load(clientKey) {
      const [repositories, openPullRequests, statuses, queues] = await Promise.all([
        q.query<{ uuid: string; full_name: string; data: string; pull_requests_synced_at: Date | string | null }>(
          'SELECT uuid, full_name, data, pull_requests_synced_at FROM mirror_repositories WHERE client_key = :clientKey ORDER BY full_name',
          { replacements: { clientKey }, type: QueryTypes.SELECT },
        ),
        q.query<{ repository_uuid: string; id: number; updated_on: string; source_hash: string | null; statuses_hash: string | null; data: string; mirrored_at: Date | string }>(
          `SELECT repository_uuid, id, updated_on, source_hash, statuses_hash, data, mirrored_at FROM mirror_pull_requests
           WHERE client_key = :clientKey AND state = 'OPEN'`,
          { replacements: { clientKey }, type: QueryTypes.SELECT },
        ),
        q.query<{ repository_uuid: string; commit_hash: string; data: string }>(
          `SELECT s.repository_uuid, s.commit_hash, s.data FROM mirror_commit_statuses s
           JOIN mirror_pull_requests p ON p.client_key = s.client_key AND p.repository_uuid = s.repository_uuid AND p.source_hash = s.commit_hash
           WHERE s.client_key = :clientKey AND p.state = 'OPEN'`,
          { replacements: { clientKey }, type: QueryTypes.SELECT },
        ),
        q.query<{ repository: string; state: string }>('SELECT repository, state FROM merge_queues WHERE client_key = :clientKey', {
          replacements: { clientKey },
          type: QueryTypes.SELECT,
        }),
      ]);
      // Two open PRs on one commit would list its statuses twice.
      const seen = new Set<string>();
      return {
        repositories: repositories.map((r) => ({ uuid: r.uuid, fullName: r.full_name, dataJson: r.data, pullRequestsSyncedAt: toDate(r.pull_requests_synced_at) })),
        openPullRequests: openPullRequests.map((p) => ({
          repositoryUuid: p.repository_uuid, id: Number(p.id), updatedOn: p.updated_on, sourceHash: p.source_hash, statusesHash: p.statuses_hash, dataJson: p.data,
          mirroredAt: new Date(p.mirrored_at),
        })),
        statuses: statuses.flatMap((s) => {
          const key = `${s.repository_uuid}\u0000${s.commit_hash}\u0000${s.data}`;
          if (seen.has(key)) return [];
          seen.add(key);
          return [{ repositoryUuid: s.repository_uuid, commitHash: s.commit_hash, dataJson: s.data }];
        }),
        queues: queues.map((r) => ({ repository: r.repository, stateJson: r.state })),
      };
    },
  };
}
