import { QueryTypes, UniqueConstraintError, type Transaction, type WhereOptions } from 'sequelize';
import type { Database } from '../storage';
import type { JobRow } from '../storage/models';
import { createDueSignal, type DueSignal } from './due-signal';
import { LeaseLostError } from './errors';
import {
  DEFAULT_RETRY_POLICY,
  LEASE_EXPIRED_MESSAGE,
  getRetryDelayMs,
  toClaimLimit,
  toErrorText,
  toListLimit,
  toNewJobValues,
  toResultJson,
  type Job,
  type JobQueue,
  type JobQueueOptions,
  type JobState,
  compareClaimOrder,
} from './job-queue';

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    clientKey: row.clientKey,
    type: row.type,
    payload: JSON.parse(row.payload) as unknown,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    priority: row.priority,
    state: row.state as JobState,
    dedupeKey: row.dedupeKey,
    runAt: new Date(row.runAt),
    lockedBy: row.lockedBy,
    leaseExpiresAt: row.leaseExpiresAt ? new Date(row.leaseExpiresAt) : null,
    lastError: row.lastError,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  };
}

/**
 * One due signal per database in this process: the composition root opens several queues on one database
 * (automation's, the CI intake's, the template batch's), and a job any of them enqueues should wake the worker.
 * Other processes are not told (no LISTEN/NOTIFY): their workers find the job on their next poll.
 */
const dueSignals = new WeakMap<Database, DueSignal>();
const toDueSignal = (db: Database): DueSignal => {
  let signal = dueSignals.get(db);
  if (!signal) dueSignals.set(db, (signal = createDueSignal()));
  return signal;
};

/** Tells this process's workers on `db` that a job is due now, for writers that insert jobs without a queue (the webhook intake). */
export function raiseJobsDue(db: Database): void {
  toDueSignal(db).raise();
}

/** How many exhausted, abandoned jobs one claim dead-letters at most; the next claim takes the rest. */
const DEAD_SWEEP_LIMIT = 100;

/**
 * The queue on Sequelize, for SQLite and PostgreSQL.
 *
 * Claims cannot hand one job to two workers:
 * - PostgreSQL: a transaction selects with `FOR UPDATE SKIP LOCKED`, so concurrent claimers (in any
 *   process) lock disjoint rows without waiting on each other, then marks the rows running.
 * - SQLite: one `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING id` statement. SQLite runs each
 *   statement atomically under its single writer lock, so a second claimer sees the rows already
 *   running. No explicit transaction: Sequelize opens a fresh connection per SQLite transaction, without
 *   the busy_timeout the shared connection has, and concurrent claimers would fail with SQLITE_BUSY.
 *
 * Lease-owned writes (heartbeat, complete, fail, release) are conditional updates on
 * (id, locked_by = workerId, state = running); zero rows changed means the lease was lost.
 * Dates go into raw SQL as replacements so they are formatted exactly as the model writes them
 * (SQLite compares them as text).
 */
export function createSqlJobQueue(db: Database, opts: JobQueueOptions = {}): JobQueue {
  const { sequelize } = db;
  const { Job } = db.models;
  const now = opts.now ?? (() => new Date());
  const random = opts.random ?? Math.random;
  const retry = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
  const isPostgres = db.dialect === 'postgres';
  const due = toDueSignal(db);

  const ownedWhere = (jobId: string, workerId: string): WhereOptions<JobRow> => ({ id: jobId, lockedBy: workerId, state: 'running' });
  const findOwned = async (jobId: string, workerId: string): Promise<JobRow> => {
    const row = await Job.findOne({ where: ownedWhere(jobId, workerId) });
    if (!row) throw new LeaseLostError(jobId, workerId);
    return row;
  };

  async function claimPostgres(sql: ClaimSql, replacements: Record<string, unknown>): Promise<Job[]> {
    return sequelize.transaction(async (transaction: Transaction) => {
      await sequelize.query(sql.deadSweep, { replacements, transaction });
      const picked = await sequelize.query<{ id: string }>(`SELECT id FROM jobs WHERE ${sql.claimable} ${sql.order} LIMIT :limit FOR UPDATE SKIP LOCKED`, {
        replacements,
        transaction,
        type: QueryTypes.SELECT,
      });
      if (picked.length === 0) return [];
      const ids = picked.map((r) => r.id);
      await sequelize.query(`${sql.markRunning} WHERE id IN (:ids)`, { replacements: { ...replacements, ids }, transaction });
      const rows = await Job.findAll({ where: { id: ids }, transaction });
      return rows.map(toJob).sort(compareClaimOrder);
    });
  }

  async function claimSqlite(sql: ClaimSql, replacements: Record<string, unknown>): Promise<Job[]> {
    await sequelize.query(sql.deadSweep, { replacements });
    const claimed = await sequelize.query<{ id: string }>(
      `${sql.markRunning} WHERE id IN (SELECT id FROM jobs WHERE ${sql.claimable} ${sql.order} LIMIT :limit) RETURNING id`,
      { replacements, type: QueryTypes.SELECT },
    );
    if (claimed.length === 0) return [];
    // These rows are leased to this worker now; reading them back cannot race another claimer.
    const rows = await Job.findAll({ where: { id: claimed.map((r) => r.id) } });
    return rows.map(toJob).sort(compareClaimOrder);
  }

  return {
    async enqueue(input) {
      const v = toNewJobValues(input, now());
      try {
        const row = await Job.create({
          id: v.id,
          clientKey: v.clientKey,
          type: v.type,
          payload: v.payloadJson,
          state: 'queued',
          attempts: 0,
          maxAttempts: v.maxAttempts,
          priority: v.priority,
          dedupeKey: v.dedupeKey,
          runAt: v.runAt,
          lockedBy: null,
          leaseExpiresAt: null,
          lastError: null,
          result: null,
          createdAt: v.createdAt,
          updatedAt: v.createdAt,
        });
        // Committed (no transaction here): a worker woken now can claim it.
        if (v.runAt <= v.createdAt) due.raise();
        return { job: toJob(row), created: true };
      } catch (err) {
        // The unique (client_key, dedupe_key) index settles concurrent enqueues: the loser reads the winner.
        if (!(err instanceof UniqueConstraintError) || v.dedupeKey === null) throw err;
        const row = await Job.findOne({ where: { clientKey: v.clientKey, dedupeKey: v.dedupeKey } });
        if (!row) throw err;
        return { job: toJob(row), created: false };
      }
    },

    async claim(workerId, claimOpts) {
      const limit = toClaimLimit(claimOpts);
      if (limit === 0 || claimOpts.types?.length === 0) return [];
      const at = now();
      const replacements: Record<string, unknown> = {
        now: at,
        lease: new Date(at.getTime() + claimOpts.leaseMs),
        workerId,
        limit,
        deadLimit: DEAD_SWEEP_LIMIT,
        leaseExpired: LEASE_EXPIRED_MESSAGE,
        types: claimOpts.types ?? [],
      };
      const sql = toClaimSql(Boolean(claimOpts.types), isPostgres);
      return isPostgres ? claimPostgres(sql, replacements) : claimSqlite(sql, replacements);
    },

    async heartbeat(jobId, workerId, leaseMs) {
      const at = now();
      const [changed] = await Job.update(
        { leaseExpiresAt: new Date(at.getTime() + leaseMs), updatedAt: at },
        { where: ownedWhere(jobId, workerId) },
      );
      return changed === 1;
    },

    async complete(jobId, workerId, result) {
      const [changed] = await Job.update(
        { state: 'succeeded', lockedBy: null, leaseExpiresAt: null, result: toResultJson(result), updatedAt: now() },
        { where: ownedWhere(jobId, workerId) },
      );
      if (changed !== 1) throw new LeaseLostError(jobId, workerId);
    },

    async fail(jobId, workerId, error) {
      const row = await findOwned(jobId, workerId);
      const at = now();
      const lastError = toErrorText(error.message);
      const values: Partial<JobRow> =
        error.retryable && row.attempts < row.maxAttempts
          ? {
              state: 'queued',
              runAt: new Date(at.getTime() + (error.retryAfterMs ?? getRetryDelayMs(row.attempts, retry, random))),
              lockedBy: null,
              leaseExpiresAt: null,
              lastError,
              updatedAt: at,
            }
          : { state: 'dead', lockedBy: null, leaseExpiresAt: null, lastError, updatedAt: at };
      // The attempts guard refuses the write if the job was reclaimed (and re-leased) since the read.
      const [changed] = await Job.update(values, { where: { ...ownedWhere(jobId, workerId), attempts: row.attempts } });
      if (changed !== 1) throw new LeaseLostError(jobId, workerId);
      row.set(values);
      return toJob(row);
    },

    async release(jobId, workerId) {
      const row = await findOwned(jobId, workerId);
      const at = now();
      const [changed] = await Job.update(
        { state: 'queued', runAt: at, attempts: Math.max(0, row.attempts - 1), lockedBy: null, leaseExpiresAt: null, updatedAt: at },
        { where: { ...ownedWhere(jobId, workerId), attempts: row.attempts } },
      );
      if (changed !== 1) throw new LeaseLostError(jobId, workerId);
    },

    async get(clientKey, jobId) {
      const row = await Job.findOne({ where: { id: jobId, clientKey } });
      return row ? toJob(row) : null;
    },

    async list(clientKey, listOpts) {
      const { limit, offset } = toListLimit(listOpts);
      const where: WhereOptions<JobRow> = { clientKey };
      if (listOpts.state) where.state = listOpts.state;
      if (listOpts.type) where.type = listOpts.type;
      const rows = await Job.findAll({ where, order: [['createdAt', 'DESC'], ['id', 'DESC']], limit, offset });
      return rows.map(toJob);
    },

    async retryDead(clientKey, jobId) {
      const at = now();
      const [changed] = await Job.update(
        { state: 'queued', attempts: 0, runAt: at, updatedAt: at },
        { where: { id: jobId, clientKey, state: 'dead' } },
      );
      if (changed !== 1) return null;
      due.raise();
      const row = await Job.findOne({ where: { id: jobId, clientKey } });
      return row ? toJob(row) : null;
    },

    onDue: (listener) => due.subscribe(listener),
  };
}

interface ClaimSql {
  /** Dead-letters running jobs whose lease ran out on their last attempt. */
  deadSweep: string;
  /** Due queued jobs, and running jobs whose lease ran out with attempts left. */
  claimable: string;
  order: string;
  /** UPDATE … SET; the caller appends the WHERE. */
  markRunning: string;
}

function toClaimSql(filterTypes: boolean, isPostgres: boolean): ClaimSql {
  const types = filterTypes ? ' AND type IN (:types)' : '';
  const lock = isPostgres ? ' FOR UPDATE SKIP LOCKED' : '';
  return {
    deadSweep:
      "UPDATE jobs SET state = 'dead', locked_by = NULL, lease_expires_at = NULL, last_error = :leaseExpired, updated_at = :now " +
      `WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at <= :now AND attempts >= max_attempts${types} LIMIT :deadLimit${lock})`,
    claimable:
      "((state = 'queued' AND run_at <= :now) OR (state = 'running' AND lease_expires_at <= :now AND attempts < max_attempts))" + types,
    order: 'ORDER BY priority DESC, run_at ASC, created_at ASC, id ASC',
    markRunning:
      "UPDATE jobs SET state = 'running', locked_by = :workerId, lease_expires_at = :lease, attempts = attempts + 1, updated_at = :now",
  };
}
