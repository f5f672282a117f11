import { UniqueConstraintError, type WhereOptions } from 'sequelize';
import type { AutoMerge, AutoMergeState, AutoMergeStore } from '../agent/stores/auto-merge-store';
import type { Database } from './create-database';
import type { AutoMergeRow } from './models';

function toAutoMerge(row: AutoMergeRow): AutoMerge {
  return {
    id: row.id,
    clientKey: row.clientKey,
    repositoryFullName: row.repositoryFullName,
    repositoryUuid: row.repositoryUuid,
    pullRequestId: row.pullRequestId,
    mergeStrategy: row.mergeStrategy,
    requestedByUuid: row.requestedByUuid,
    requestedByAccountId: row.requestedByAccountId,
    state: row.state as AutoMergeState,
    reason: row.reason,
    attempts: row.attempts,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

/** Sequelize {@link AutoMergeStore} over `auto_merges`; a partial unique index keeps one pending row per PR. */
export function createAutoMergeStore(db: Database): AutoMergeStore {
  const { AutoMerge } = db.models;
  const findPending = (clientKey: string, repositoryFullName: string, pullRequestId: number) =>
    AutoMerge.findOne({ where: { clientKey, repositoryFullName, pullRequestId, state: 'pending' } });
  return {
    async ensurePending(input, now) {
      const existing = await findPending(input.clientKey, input.repositoryFullName, input.pullRequestId);
      if (existing) return { autoMerge: toAutoMerge(existing), created: false };
      try {
        const row = await AutoMerge.create({ ...input, state: 'pending', reason: null, createdAt: now, updatedAt: now });
        return { autoMerge: toAutoMerge(row), created: true };
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
        const row = await findPending(input.clientKey, input.repositoryFullName, input.pullRequestId);
        if (!row) throw error;
        return { autoMerge: toAutoMerge(row), created: false };
      }
    },
    async finish(clientKey, ref, outcome, now) {
      const row = await findPending(clientKey, ref.repositoryFullName, ref.pullRequestId);
      if (!row) return null;
      // Guarded on state so two finishers cannot both win.
      const [changed] = await AutoMerge.update(
        { state: outcome.state, reason: outcome.reason ?? null, updatedAt: now },
        { where: { id: row.id, state: 'pending' } },
      );
      if (changed === 0) return null;
      return { ...toAutoMerge(row), state: outcome.state, reason: outcome.reason ?? null, updatedAt: now };
    },
    async recordRetry(clientKey, id, fromAttempt, reason, now) {
      const [changed] = await AutoMerge.update(
        { attempts: fromAttempt + 1, reason, updatedAt: now },
        { where: { clientKey, id, state: 'pending', attempts: fromAttempt } },
      );
      return changed === 1;
    },
    async listPending(clientKey, filter = {}) {
      const where: WhereOptions<AutoMergeRow> = {
        clientKey,
        state: 'pending',
        ...(filter.repositoryFullName !== undefined ? { repositoryFullName: filter.repositoryFullName } : {}),
        ...(filter.repositoryUuid !== undefined ? { repositoryUuid: filter.repositoryUuid } : {}),
        ...(filter.pullRequestId !== undefined ? { pullRequestId: filter.pullRequestId } : {}),
      };
      const rows = await AutoMerge.findAll({ where, order: [['createdAt', 'ASC'], ['id', 'ASC']] });
      return rows.map(toAutoMerge);
    },
  };
}
