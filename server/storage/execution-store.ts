import { Op, UniqueConstraintError, type WhereOptions } from 'sequelize';
import type { AuditEntry, ExecutionOutcome, PlanSource } from '../agent/executor/plan';
import { toPageBounds } from '../agent/stores/audit-store';
import { UNLEASED_STALE_AFTER_MS, type ExecutionRecord, type ExecutionStore } from '../agent/stores/execution-store';
import type { Database } from './create-database';
import type { ExecutionRow } from './models';

function toResult(text: string | null): AuditEntry | null {
  if (text === null) return null;
  const parsed = JSON.parse(text) as AuditEntry;
  return { ...parsed, startedAt: new Date(parsed.startedAt) };
}

function toExecution(row: ExecutionRow): ExecutionRecord {
  return {
    clientKey: row.clientKey,
    idempotencyKey: row.idempotencyKey,
    state: row.state as ExecutionRecord['state'],
    source: row.source as PlanSource,
    planSummary: row.planSummary,
    outcome: row.outcome as ExecutionOutcome | null,
    result: toResult(row.result),
    createdAt: new Date(row.createdAt),
    finishedAt: row.finishedAt ? new Date(row.finishedAt) : null,
    owner: row.owner,
    leaseExpiresAt: row.leaseExpiresAt ? new Date(row.leaseExpiresAt) : null,
  };
}

/** Sequelize {@link ExecutionStore} over `executions`; the unique (client_key, idempotency_key) index makes claims atomic. */
export function createExecutionStore(db: Database): ExecutionStore {
  const { Execution } = db.models;
  return {
    async get(clientKey, idempotencyKey) {
      const row = await Execution.findOne({ where: { clientKey, idempotencyKey } });
      return row ? toExecution(row) : null;
    },
    async claim(input, now) {
      try {
        const row = await Execution.create({
          clientKey: input.clientKey,
          idempotencyKey: input.idempotencyKey,
          state: 'running',
          source: input.source,
          planSummary: input.planSummary,
          outcome: null,
          result: null,
          createdAt: now,
          finishedAt: null,
          owner: input.owner,
          leaseExpiresAt: input.leaseExpiresAt,
        });
        return { claimed: true, execution: toExecution(row) };
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
        const row = await Execution.findOne({ where: { clientKey: input.clientKey, idempotencyKey: input.idempotencyKey } });
        if (!row) throw error;
        return { claimed: false, execution: toExecution(row) };
      }
    },
    async renew(clientKey, idempotencyKey, owner, leaseExpiresAt) {
      const [changed] = await Execution.update({ leaseExpiresAt }, { where: { clientKey, idempotencyKey, state: 'running', owner } });
      return changed === 1;
    },
    async takeOver(clientKey, idempotencyKey, { owner, leaseExpiresAt, now }) {
      // One conditional UPDATE: of several callers, only the first still finds the lease run out.
      const [changed] = await Execution.update(
        { owner, leaseExpiresAt },
        {
          where: {
            clientKey,
            idempotencyKey,
            state: 'running',
            [Op.or]: [
              { leaseExpiresAt: { [Op.lte]: now } },
              { leaseExpiresAt: null, createdAt: { [Op.lt]: new Date(now.getTime() - UNLEASED_STALE_AFTER_MS) } },
            ],
          },
        },
      );
      return changed === 1;
    },
    async finish(clientKey, idempotencyKey, result, now, owner) {
      const [changed] = await Execution.update(
        { state: 'finished', outcome: result.outcome, result: JSON.stringify(result), finishedAt: now, owner: null, leaseExpiresAt: null },
        { where: owner === undefined ? { clientKey, idempotencyKey } : { clientKey, idempotencyKey, state: 'running', owner } },
      );
      return changed === 1;
    },
    async list(clientKey, filter = {}) {
      const { limit, offset } = toPageBounds(filter);
      const where: WhereOptions<ExecutionRow> = {
        clientKey,
        ...(filter.state !== undefined ? { state: filter.state } : {}),
        ...(filter.outcome !== undefined ? { outcome: filter.outcome } : {}),
      };
      const { rows, count } = await Execution.findAndCountAll({ where, order: [['createdAt', 'DESC'], ['id', 'DESC']], limit, offset });
      return { executions: rows.map(toExecution), total: count };
    },
  };
}
