import { QueryTypes } from 'sequelize';
import type { MergeQueueStore } from '../merge-queue/merge-queue-store';
import type { QueueState } from '../merge-queue/queue-state';
import type { Database } from './create-database';

/**
 * Merge queues in SQL, shared by every worker. A save is one statement that names the version it
 * read (insert-if-absent for version 0, else `UPDATE … WHERE version = :expected`), and RETURNING
 * says whether it won: two workers never both save over the same read.
 */
export function createSqlMergeQueueStore(db: Database): MergeQueueStore {
  const { MergeQueue } = db.models;
  const parse = (row: { state: string }) => JSON.parse(row.state) as QueueState;
  return {
    async load(key) {
      const row = await MergeQueue.findOne({ where: { clientKey: key.clientKey, repository: key.repository, branch: key.branch }, raw: true });
      return row ? parse(row) : null;
    },
    async save(state, expectedVersion) {
      const replacements = {
        clientKey: state.clientKey, repository: state.repository, branch: state.branch,
        version: state.version, state: JSON.stringify(state), now: new Date(), expected: expectedVersion,
      };
      // The leading comments keep Sequelize's SQLite driver from dropping the RETURNING rows.
      const rows = expectedVersion === 0
        ? await db.sequelize.query<{ version: number }>(
          `/* merge queue insert */ INSERT INTO merge_queues (client_key, repository, branch, version, state, updated_at)
           VALUES (:clientKey, :repository, :branch, :version, :state, :now)
           ON CONFLICT (client_key, repository, branch) DO NOTHING RETURNING version`,
          { replacements, type: QueryTypes.SELECT },
        )
        : await db.sequelize.query<{ version: number }>(
          `/* merge queue update */ UPDATE merge_queues SET version = :version, state = :state, updated_at = :now
           WHERE client_key = :clientKey AND repository = :repository AND branch = :branch AND version = :expected RETURNING version`,
          { replacements, type: QueryTypes.SELECT },
        );
      return rows.length === 1;
    },
    async list(clientKey, repository) {
      const rows = await MergeQueue.findAll({ where: { clientKey, repository }, order: [['branch', 'ASC']], raw: true });
      return rows.map(parse);
    },
    async listForTenant(clientKey) {
      // Queues are few per tenant: one per destination branch that ever had one.
      const rows = await MergeQueue.findAll({ where: { clientKey }, order: [['repository', 'ASC'], ['branch', 'ASC']], raw: true });
      return rows.map(parse);
    },
    async purge(clientKey) {
      await MergeQueue.destroy({ where: { clientKey } });
    },
  };
}
