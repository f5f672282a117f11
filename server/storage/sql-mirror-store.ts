import { Op, QueryTypes } from 'sequelize';
import { REPOSITORY_FACT_KINDS, type MirroredPullRequest, type MirroredRepository, type MirroredRepositoryFact, type MirrorStore, type SyncState } from '../mirror/mirror-store';
import type { Database } from './create-database';
import { runPgPrepared, runRead, runWrite, toValuesPlaceholders, type PgPreparedStatement } from './raw-transaction-query';
import type { MirrorPullRequestModelRow } from './models/mirror-models';

const CHUNK = 200;

/** mirror_pull_requests as runRead returns it (column names; mirrored_at SQLite's text or PostgreSQL's Date). */
interface PullRequestColumns {
  repository_uuid: string; id: number | string; state: string; updated_on: string; source_hash: string | null;
  data: string; statuses_hash: string | null; mirrored_at: Date | string;
}
const PULL_REQUEST_COLUMNS = 'repository_uuid, id, state, updated_on, source_hash, data, statuses_hash, mirrored_at';

/** mirror_commit_statuses as runRead returns it. */
interface StatusColumns {
  repository_uuid: string; commit_hash: string; key: string; updated_on: string; data: string;
}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// The webhook path's upserts, shared by the one-row methods and the batch (SQLite; PostgreSQL's batch is PG_WEBHOOK_PROJECTIONS).
// A repository the mirror knows keeps its fuller data and only notes the event.
const UPSERT_REPOSITORY_EVENT_INSERT = '/* mirror event */ INSERT INTO mirror_repositories (client_key, uuid, full_name, data, mirrored_at, last_event_at)';
const UPSERT_REPOSITORY_EVENT_CONFLICT = 'ON CONFLICT (client_key, uuid) DO UPDATE SET last_event_at = EXCLUDED.last_event_at';
const UPSERT_PULL_REQUEST_INSERT = '/* mirror */ INSERT INTO mirror_pull_requests (client_key, repository_uuid, id, state, updated_on, source_hash, data, mirrored_at)';
const UPSERT_PULL_REQUEST_CONFLICT = `ON CONFLICT (client_key, repository_uuid, id) DO UPDATE SET state = EXCLUDED.state, updated_on = EXCLUDED.updated_on,
  source_hash = EXCLUDED.source_hash, data = EXCLUDED.data, mirrored_at = EXCLUDED.mirrored_at
  WHERE mirror_pull_requests.updated_on <= EXCLUDED.updated_on`;
const UPSERT_STATUS_INSERT = 'INSERT INTO mirror_commit_statuses (client_key, repository_uuid, commit_hash, key, updated_on, data)';
const UPSERT_STATUS_CONFLICT = `ON CONFLICT (client_key, repository_uuid, commit_hash, key) DO UPDATE SET updated_on = EXCLUDED.updated_on, data = EXCLUDED.data
  WHERE mirror_commit_statuses.updated_on <= EXCLUDED.updated_on`;

/** Rows per statement of a SQLite webhook batch (8 values a row, well under the bound-value limit). */
const WEBHOOK_BATCH_CHUNK = 100;

/**
 * A batch of webhook projections on PostgreSQL: the three upserts above as data-modifying CTEs of one
 * statement (one round trip, one commit), rows as arrays so the text is fixed and prepared once per connection.
 */
const PG_WEBHOOK_PROJECTIONS: PgPreparedStatement = {
  name: 'bosun_mirror_webhooks_v1',
  text: `WITH repositories AS (
    ${UPSERT_REPOSITORY_EVENT_INSERT}
    SELECT client_key, uuid, full_name, data, $18::timestamptz, $18::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(client_key, uuid, full_name, data)
    ${UPSERT_REPOSITORY_EVENT_CONFLICT}
  ), pull_requests AS (
    ${UPSERT_PULL_REQUEST_INSERT}
    SELECT client_key, repository_uuid, id, state, updated_on, source_hash, data, $18::timestamptz
    FROM unnest($5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[]) AS p(client_key, repository_uuid, id, state, updated_on, source_hash, data)
    ${UPSERT_PULL_REQUEST_CONFLICT}
  ), statuses AS (
    ${UPSERT_STATUS_INSERT}
    SELECT client_key, repository_uuid, commit_hash, key, updated_on, data
    FROM unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[]) AS s(client_key, repository_uuid, commit_hash, key, updated_on, data)
    ${UPSERT_STATUS_CONFLICT}
  )
  SELECT 1 AS done`,
};

const compareKeys = (a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

const toDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));
const SYNC_STATES: readonly SyncState[] = ['running', 'done', 'deferred', 'failed'];

function toPullRequestFromColumns(r: PullRequestColumns): MirroredPullRequest {
  return {
    repositoryUuid: r.repository_uuid, id: Number(r.id), state: r.state, updatedOn: r.updated_on, sourceHash: r.source_hash,
    dataJson: r.data, statusesHash: r.statuses_hash, mirroredAt: new Date(r.mirrored_at),
  };
}

/** Bound values per statement stay well under SQLite's limit (999 before 3.32). */
const STATUS_HASH_CHUNK = 500;

const placeholders = (n: number): string => new Array<string>(n).fill('?').join(', ');

function toPullRequest(row: MirrorPullRequestModelRow): MirroredPullRequest {
  return {
    repositoryUuid: row.repositoryUuid, id: row.id, state: row.state, updatedOn: row.updatedOn, sourceHash: row.sourceHash,
    dataJson: row.data, statusesHash: row.statusesHash, mirroredAt: new Date(row.mirroredAt),
  };
}

/**
 * The workspace mirror in SQL. Writes are multi-row upserts whose WHERE keeps the newer `updated_on`,
 * so webhook projections, syncs and sweeps may run in any order, on any instance, and repeat.
 */
export function createSqlMirrorStore(db: Database): MirrorStore {
  const { MirrorRepository, MirrorPullRequest, MirrorSyncProgress, MirrorBranch, MirrorRepositoryFact } = db.models;
  const q = db.sequelize;

  const loadHighWaters = async (clientKey: string, uuids: string[] | null): Promise<Map<string, string>> => {
    const rows = await q.query<{ repository_uuid: string; high_water: string }>(
      `SELECT repository_uuid, MAX(updated_on) AS high_water FROM mirror_pull_requests WHERE client_key = :clientKey
       ${uuids ? 'AND repository_uuid IN (:uuids)' : ''} GROUP BY repository_uuid`,
      { replacements: { clientKey, uuids: uuids ?? [] }, type: QueryTypes.SELECT },
    );
    return new Map(rows.map((r) => [r.repository_uuid, r.high_water]));
  };

  const toRepositories = async (clientKey: string, rows: Array<{ uuid: string; fullName: string; data: string; pullRequestsSyncedAt: Date | null; lastEventAt: Date | null }>, all: boolean): Promise<MirroredRepository[]> => {
    if (rows.length === 0) return [];
    const highWaters = await loadHighWaters(clientKey, all ? null : rows.map((r) => r.uuid));
    return rows.map((r) => ({
      uuid: r.uuid, fullName: r.fullName, dataJson: r.data, pullRequestsSyncedAt: toDate(r.pullRequestsSyncedAt),
      lastEventAt: toDate(r.lastEventAt), highWater: highWaters.get(r.uuid) ?? null,
    }));
  };

  return {
    async upsertRepositories(clientKey, repositories, at) {
      for (const part of chunks(repositories)) {
        await q.query(
          `INSERT INTO mirror_repositories (client_key, uuid, full_name, data, mirrored_at) VALUES ${part.map(() => '(?)').join(', ')}
           ON CONFLICT (client_key, uuid) DO UPDATE SET full_name = EXCLUDED.full_name, data = EXCLUDED.data, mirrored_at = EXCLUDED.mirrored_at`,
          { replacements: part.map((r) => [clientKey, r.uuid, r.fullName, r.dataJson, at]), type: QueryTypes.INSERT },
        );
      }
    },
    async listRepositories(clientKey) {
      return toRepositories(clientKey, await MirrorRepository.findAll({ where: { clientKey }, order: [['fullName', 'ASC']], raw: true }), true);
    },
    async getRepository(clientKey, uuid) {
      const row = await MirrorRepository.findOne({ where: { clientKey, uuid }, raw: true });
      return row ? ((await toRepositories(clientKey, [row], false))[0] ?? null) : null;
    },
    async markPullRequestsSynced(clientKey, repositoryUuid, at) {
      await MirrorRepository.update({ pullRequestsSyncedAt: at }, { where: { clientKey, uuid: repositoryUuid } });
    },
    async markEvent(clientKey, repositoryUuid, at) {
      await MirrorRepository.update({ lastEventAt: at }, { where: { clientKey, uuid: repositoryUuid } });
    },
    // The webhook projection's writes (and the syncs' pull requests) go through runWrite: on SQLite, bound by
    // the driver on the raw writer instead of escaped into the SQL by Sequelize (the projection's CPU profile).
    async noteRepositoryEvent(clientKey, repository, at) {
      // On the webhook path: one statement instead of a read, an insert and an update.
      await runWrite(
        db,
        `${UPSERT_REPOSITORY_EVENT_INSERT} VALUES ${toValuesPlaceholders(1, 6)} ${UPSERT_REPOSITORY_EVENT_CONFLICT}`,
        [clientKey, repository.uuid, repository.fullName, repository.dataJson, at, at],
      );
    },
    async applyWebhookProjections(batch, at) {
      if (batch.repositories.length + batch.pullRequests.length + batch.statuses.length === 0) return;
      // Rows in key order, so two instances writing overlapping batches take the row locks in one order.
      const repositories = [...batch.repositories].sort((a, b) => compareKeys([a.clientKey, a.repository.uuid], [b.clientKey, b.repository.uuid]));
      const pullRequests = [...batch.pullRequests].sort((a, b) => compareKeys([a.clientKey, a.repositoryUuid, a.pullRequest.id], [b.clientKey, b.repositoryUuid, b.pullRequest.id]));
      const statuses = [...batch.statuses].sort((a, b) => compareKeys([a.clientKey, a.repositoryUuid, a.commitHash, a.status.key], [b.clientKey, b.repositoryUuid, b.commitHash, b.status.key]));
      if (db.dialect === 'postgres') {
        // One round trip and one commit for the whole batch (it was two statements, each its own commit, per webhook).
        await runPgPrepared(db, PG_WEBHOOK_PROJECTIONS, [
          repositories.map((r) => r.clientKey), repositories.map((r) => r.repository.uuid), repositories.map((r) => r.repository.fullName), repositories.map((r) => r.repository.dataJson),
          pullRequests.map((p) => p.clientKey), pullRequests.map((p) => p.repositoryUuid), pullRequests.map((p) => p.pullRequest.id), pullRequests.map((p) => p.pullRequest.state),
          pullRequests.map((p) => p.pullRequest.updatedOn), pullRequests.map((p) => p.pullRequest.sourceHash), pullRequests.map((p) => p.pullRequest.dataJson),
          statuses.map((s) => s.clientKey), statuses.map((s) => s.repositoryUuid), statuses.map((s) => s.commitHash), statuses.map((s) => s.status.key),
          statuses.map((s) => s.status.updatedOn), statuses.map((s) => s.status.dataJson),
          at,
        ]);
        return;
      }
      // SQLite: one multi-row statement per table (runWrite: the raw writer's own implicit transactions, not urgent at the
      // write gate: the projection is not on the 2xx path). A BEGIN … COMMIT around them cost two more pool works per batch.
      for (const part of chunks(repositories, WEBHOOK_BATCH_CHUNK)) {
        await runWrite(
          db,
          `${UPSERT_REPOSITORY_EVENT_INSERT} VALUES ${toValuesPlaceholders(part.length, 6)} ${UPSERT_REPOSITORY_EVENT_CONFLICT}`,
          part.flatMap((r) => [r.clientKey, r.repository.uuid, r.repository.fullName, r.repository.dataJson, at, at]),
        );
      }
      for (const part of chunks(pullRequests, WEBHOOK_BATCH_CHUNK)) {
        await runWrite(
          db,
          `${UPSERT_PULL_REQUEST_INSERT} VALUES ${toValuesPlaceholders(part.length, 8)} ${UPSERT_PULL_REQUEST_CONFLICT}`,
          part.flatMap((p) => [p.clientKey, p.repositoryUuid, p.pullRequest.id, p.pullRequest.state, p.pullRequest.updatedOn, p.pullRequest.sourceHash, p.pullRequest.dataJson, at]),
        );
      }
      for (const part of chunks(statuses, WEBHOOK_BATCH_CHUNK)) {
        await runWrite(
          db,
          `${UPSERT_STATUS_INSERT} VALUES ${toValuesPlaceholders(part.length, 6)} ${UPSERT_STATUS_CONFLICT}`,
          part.flatMap((s) => [s.clientKey, s.repositoryUuid, s.commitHash, s.status.key, s.status.updatedOn, s.status.dataJson]),
        );
      }
    },
    async applyPullRequests(clientKey, repositoryUuid, pullRequests, at) {
      let written = 0;
      for (const part of chunks(pullRequests)) {
        const rows = await runWrite<{ id: number }>(
          db,
          `${UPSERT_PULL_REQUEST_INSERT} VALUES ${toValuesPlaceholders(part.length, 8)} ${UPSERT_PULL_REQUEST_CONFLICT} RETURNING id`,
          part.flatMap((p) => [clientKey, repositoryUuid, p.id, p.state, p.updatedOn, p.sourceHash, p.dataJson, at]),
        );
        written += rows.length;
      }
      return written;
    },
    async getPullRequest(clientKey, repositoryUuid, id) {
      const row = await MirrorPullRequest.findOne({ where: { clientKey, repositoryUuid, id } });
      return row ? toPullRequest(row) : null;
    },
    async listPullRequests(clientKey, repositoryUuid, states) {
      // Bound by the driver (runRead): readiness over a workspace's open PRs reads thousands of them, and a
      // Sequelize find cost more CPU than SQLite did (CPU profile of `npm run bench -- readiness`).
      if (states.length === 0) return [];
      const rows = await runRead<PullRequestColumns>(
        db,
        `SELECT ${PULL_REQUEST_COLUMNS} FROM mirror_pull_requests WHERE client_key = ? AND repository_uuid = ? AND state IN (${placeholders(states.length)}) ORDER BY id DESC`,
        [clientKey, repositoryUuid, ...states],
      );
      return rows.map(toPullRequestFromColumns);
    },
    async listPullRequestsMissingStatuses(clientKey, limit) {
      const rows = await MirrorPullRequest.findAll({
        where: {
          clientKey, state: 'OPEN', sourceHash: { [Op.ne]: null },
          [Op.or]: [{ statusesHash: null }, { statusesHash: { [Op.ne]: q.col('source_hash') } }],
        },
        order: [['updatedOn', 'DESC']],
        limit,
      });
      return rows.map(toPullRequest);
    },
    async countPullRequestsMissingStatuses(clientKey) {
      return MirrorPullRequest.count({
        where: {
          clientKey, state: 'OPEN', sourceHash: { [Op.ne]: null },
          [Op.or]: [{ statusesHash: null }, { statusesHash: { [Op.ne]: q.col('source_hash') } }],
        },
      });
    },
    async applyStatuses(clientKey, repositoryUuid, commitHash, statuses) {
      for (const part of chunks(statuses)) {
        await runWrite(
          db,
          `${UPSERT_STATUS_INSERT} VALUES ${toValuesPlaceholders(part.length, 6)} ${UPSERT_STATUS_CONFLICT}`,
          part.flatMap((s) => [clientKey, repositoryUuid, commitHash, s.key, s.updatedOn, s.dataJson]),
        );
      }
    },
    async markStatusesSynced(clientKey, repositoryUuid, id, commitHash) {
      await MirrorPullRequest.update({ statusesHash: commitHash }, { where: { clientKey, repositoryUuid, id } });
    },
    async listStatuses(clientKey, repositoryUuid, commitHashes) {
      const rows: StatusColumns[] = [];
      for (const part of chunks(commitHashes, STATUS_HASH_CHUNK)) {
        rows.push(...(await runRead<StatusColumns>(
          db,
          `SELECT repository_uuid, commit_hash, "key", updated_on, data FROM mirror_commit_statuses
           WHERE client_key = ? AND repository_uuid = ? AND commit_hash IN (${placeholders(part.length)}) ORDER BY "key" ASC`,
          [clientKey, repositoryUuid, ...part],
        )));
      }
      // One list ordered by key whatever the chunks (a stable sort keeps each chunk's order among equal keys).
      if (commitHashes.length > STATUS_HASH_CHUNK) rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return rows.map((r) => ({ repositoryUuid: r.repository_uuid, commitHash: r.commit_hash, key: r.key, updatedOn: r.updated_on, dataJson: r.data }));
    },
    async applyBranches(clientKey, repositoryUuid, branches, at) {
      let written = 0;
      for (const part of chunks(branches)) {
        const rows = await q.query<{ name: string }>(
          `/* mirror */ INSERT INTO mirror_branches (client_key, repository_uuid, name, target_hash, target_date, mirrored_at) VALUES ${part.map(() => '(?)').join(', ')}
           ON CONFLICT (client_key, repository_uuid, name) DO UPDATE SET target_hash = EXCLUDED.target_hash, target_date = EXCLUDED.target_date, mirrored_at = EXCLUDED.mirrored_at
           WHERE mirror_branches.target_date IS NULL OR EXCLUDED.target_date IS NULL OR mirror_branches.target_date <= EXCLUDED.target_date
           RETURNING name`,
          { replacements: part.map((b) => [clientKey, repositoryUuid, b.name, b.targetHash, b.targetDate, at]), type: QueryTypes.SELECT },
        );
        written += rows.length;
      }
      return written;
    },
    async deleteBranches(clientKey, repositoryUuid, names) {
      if (names.length === 0) return;
      await MirrorBranch.destroy({ where: { clientKey, repositoryUuid, name: { [Op.in]: names } } });
    },
    async replaceBranches(clientKey, repositoryUuid, branches, at) {
      await q.transaction(async (transaction) => {
        const keep = branches.map((b) => b.name);
        await MirrorBranch.destroy({ where: { clientKey, repositoryUuid, ...(keep.length > 0 ? { name: { [Op.notIn]: keep } } : {}) }, transaction });
        for (const part of chunks(branches)) {
          // A listing is Bitbucket's current state: it replaces what webhooks said.
          await q.query(
            `INSERT INTO mirror_branches (client_key, repository_uuid, name, target_hash, target_date, mirrored_at) VALUES ${part.map(() => '(?)').join(', ')}
             ON CONFLICT (client_key, repository_uuid, name) DO UPDATE SET target_hash = EXCLUDED.target_hash, target_date = EXCLUDED.target_date, mirrored_at = EXCLUDED.mirrored_at`,
            { replacements: part.map((b) => [clientKey, repositoryUuid, b.name, b.targetHash, b.targetDate, at]), type: QueryTypes.INSERT, transaction },
          );
        }
      });
    },
    async listBranches(clientKey, repositoryUuid) {
      const rows = await MirrorBranch.findAll({ where: { clientKey, repositoryUuid }, order: [['name', 'ASC']], raw: true });
      return rows.map((r) => ({ repositoryUuid: r.repositoryUuid, name: r.name, targetHash: r.targetHash, targetDate: r.targetDate, mirroredAt: new Date(r.mirroredAt) }));
    },
    async saveRepositoryFact(clientKey, repositoryUuid, kind, dataJson, at) {
      await MirrorRepositoryFact.upsert({ clientKey, repositoryUuid, kind, data: dataJson, syncedAt: at });
    },
    async loadRepositoryFacts(clientKey, repositoryUuid) {
      const rows = await MirrorRepositoryFact.findAll({ where: { clientKey, repositoryUuid }, raw: true });
      return rows.flatMap((r): MirroredRepositoryFact[] => {
        const kind = REPOSITORY_FACT_KINDS.find((k) => k === r.kind);
        return kind ? [{ repositoryUuid: r.repositoryUuid, kind, dataJson: r.data, syncedAt: new Date(r.syncedAt) }] : [];
      });
    },
    async listRepositoryFacts(clientKey, repositoryUuids, kinds) {
      const out: MirroredRepositoryFact[] = [];
      for (const part of chunks([...repositoryUuids])) {
        const rows = await MirrorRepositoryFact.findAll({ where: { clientKey, repositoryUuid: part, kind: [...kinds] }, raw: true });
        for (const r of rows) {
          const kind = REPOSITORY_FACT_KINDS.find((k) => k === r.kind);
          if (kind) out.push({ repositoryUuid: r.repositoryUuid, kind, dataJson: r.data, syncedAt: new Date(r.syncedAt) });
        }
      }
      return out;
    },
    async listRepositoriesWithStaleFacts(clientKey, before, limit) {
      // The oldest of a repository's facts decides; a repository without any comes first, and among
      // those the ones with webhook activity (what people are working on, so what they will look at).
      const rows = await q.query<{ uuid: string }>(
        `SELECT r.uuid AS uuid FROM mirror_repositories r
         LEFT JOIN mirror_repository_facts f ON f.client_key = r.client_key AND f.repository_uuid = r.uuid
         WHERE r.client_key = :clientKey
         GROUP BY r.uuid
         HAVING COUNT(f.kind) < :kinds OR MIN(f.synced_at) < :before
         ORDER BY COUNT(f.kind) ASC, CASE WHEN MAX(r.last_event_at) IS NULL THEN 1 ELSE 0 END ASC, MAX(r.last_event_at) DESC, MIN(f.synced_at) ASC, r.uuid ASC
         LIMIT :limit`,
        { replacements: { clientKey, kinds: REPOSITORY_FACT_KINDS.length, before, limit }, type: QueryTypes.SELECT },
      );
      return rows.map((r) => r.uuid);
    },
    async saveProgress(p) {
      await MirrorSyncProgress.upsert({
        clientKey: p.clientKey, state: p.state, repositoriesTotal: p.repositoriesTotal, repositoriesDone: p.repositoriesDone,
        statusesPending: p.statusesPending, startedAt: p.startedAt, updatedAt: p.updatedAt, finishedAt: p.finishedAt,
        lastSweepAt: p.lastSweepAt, message: p.message,
      });
    },
    async loadProgress(clientKey) {
      const r = await MirrorSyncProgress.findByPk(clientKey);
      if (!r) return null;
      const state = SYNC_STATES.find((s) => s === r.state) ?? 'failed';
      return {
        clientKey: r.clientKey, state, repositoriesTotal: r.repositoriesTotal, repositoriesDone: r.repositoriesDone, statusesPending: r.statusesPending,
        startedAt: new Date(r.startedAt), updatedAt: new Date(r.updatedAt), finishedAt: toDate(r.finishedAt), lastSweepAt: toDate(r.lastSweepAt), message: r.message,
      };
    },
  };
}
