import { QueryTypes } from 'sequelize';
import type { Database } from './create-database';

/** One tenant's whole mirror, as the workspace view needs it: every repository, its open PRs, their head statuses. */
export interface WorkspaceMirrorSnapshot {
  repositories: Array<{ uuid: string; fullName: string; name: string | null; url: string | null; pullRequestsSyncedAt: Date | null }>;
  /**
   * `headState`: the worst state among the statuses of the PR's source commit (FAILED, then STOPPED,
   * INPROGRESS, SUCCESSFUL: rules/aggregate-build-state's precedence), null when it has none.
   */
  openPullRequests: Array<{ repositoryUuid: string; id: number; updatedOn: string; sourceHash: string | null; statusesHash: string | null; draft: boolean; headState: string | null; mirroredAt: Date }>;
  /** Merge queues (one per repository and branch) as stored JSON. */
  queues: Array<{ repository: string; stateJson: string }>;
}

export interface WorkspaceMirrorReader {
  load(clientKey: string): Promise<WorkspaceMirrorSnapshot>;
}

const toDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));
const toBoolean = (v: unknown): boolean => v === true || v === 1 || v === 'true' || v === '1';

/** Worst first, as rules/aggregate-build-state ranks them; a test holds the two equal. */
export const HEAD_STATE_RANKS = ['SUCCESSFUL', 'INPROGRESS', 'STOPPED', 'FAILED'] as const;

/**
 * Reads the workspace view's data in three queries, whatever the number of repositories: the view
 * over 500 repositories must not be 500 round trips. Only the few JSON fields the rows show leave
 * the database (each dialect's JSON extraction): parsing 5,000 stored pull requests in Node took
 * longer than the queries. Every query is scoped by the tenant's key.
 */
export function createSqlWorkspaceMirrorReader(db: Database): WorkspaceMirrorReader {
  const q = db.sequelize;
  // SQLite's json_extract gives 0/1 for booleans; PostgreSQL's ->> gives 'true'/'false' (the column is TEXT).
  const field = (column: string, ...keys: string[]) =>
    db.dialect === 'postgres' ? `(${column}::jsonb #>> '{${keys.join(',')}}')` : `json_extract(${column}, '$.${keys.join('.')}')`;
  return {
    async load(clientKey) {
      // The worst status of each head in the same query: one row per open PR, not one per status.
      const rank = `CASE ${field('s.data', 'state')} ${HEAD_STATE_RANKS.map((state, i) => `WHEN '${state}' THEN ${i + 1}`).join(' ')} ELSE NULL END`;
      const [repositories, openPullRequests, queues] = await Promise.all([
        q.query<{ uuid: string; full_name: string; name: string | null; url: string | null; pull_requests_synced_at: Date | string | null }>(
          `SELECT uuid, full_name, ${field('data', 'name')} AS name, ${field('data', 'links', 'html', 'href')} AS url, pull_requests_synced_at
           FROM mirror_repositories WHERE client_key = :clientKey ORDER BY full_name`,
          { replacements: { clientKey }, type: QueryTypes.SELECT },
        ),
        q.query<{ repository_uuid: string; id: number; updated_on: string; source_hash: string | null; statuses_hash: string | null; draft: unknown; worst: number | string | null; mirrored_at: Date | string }>(
          `SELECT p.repository_uuid, p.id, p.updated_on, p.source_hash, p.statuses_hash, ${field('p.data', 'draft')} AS draft, p.mirrored_at,
             (SELECT MAX(${rank}) FROM mirror_commit_statuses s
              WHERE s.client_key = p.client_key AND s.repository_uuid = p.repository_uuid AND s.commit_hash = p.source_hash) AS worst
           FROM mirror_pull_requests p WHERE p.client_key = :clientKey AND p.state = 'OPEN'`,
          { replacements: { clientKey }, type: QueryTypes.SELECT },
        ),
        q.query<{ repository: string; state: string }>('SELECT repository, state FROM merge_queues WHERE client_key = :clientKey', {
          replacements: { clientKey },
          type: QueryTypes.SELECT,
        }),
      ]);
      return {
        repositories: repositories.map((r) => ({ uuid: r.uuid, fullName: r.full_name, name: r.name, url: r.url, pullRequestsSyncedAt: toDate(r.pull_requests_synced_at) })),
        openPullRequests: openPullRequests.map((p) => ({
          repositoryUuid: p.repository_uuid, id: Number(p.id), updatedOn: p.updated_on, sourceHash: p.source_hash, statusesHash: p.statuses_hash, draft: toBoolean(p.draft),
          headState: p.worst === null ? null : (HEAD_STATE_RANKS[Number(p.worst) - 1] ?? null),
          mirroredAt: new Date(p.mirrored_at),
        })),
        queues: queues.map((r) => ({ repository: r.repository, stateJson: r.state })),
      };
    },
  };
}
