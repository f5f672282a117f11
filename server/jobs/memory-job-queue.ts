import { createDueSignal } from './due-signal';
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
  compareClaimOrder,
} from './job-queue';

/** Stored as JSON text, like the SQL adapter, so both hand back the same shapes. */
interface StoredJob extends Omit<Job, 'payload' | 'result'> {
  payloadJson: string;
  resultJson: string | null;
}

/** Typed Object.assign: a misspelt field fails to compile. */
const patch = (job: StoredJob, values: Partial<StoredJob>): void => void Object.assign(job, values);

function toJob(s: StoredJob): Job {
  const { payloadJson, resultJson, ...rest } = s;
  return {
    ...rest,
    runAt: new Date(s.runAt),
    leaseExpiresAt: s.leaseExpiresAt ? new Date(s.leaseExpiresAt) : null,
    createdAt: new Date(s.createdAt),
    updatedAt: new Date(s.updatedAt),
    payload: JSON.parse(payloadJson) as unknown,
    result: resultJson === null ? null : (JSON.parse(resultJson) as unknown),
  };
}

/**
 * The queue in process memory, for unit tests of other modules. Same contract as the SQL adapter;
 * every method runs without awaiting in between, which makes each one atomic.
 */
export function createMemoryJobQueue(opts: JobQueueOptions = {}): JobQueue {
  const now = opts.now ?? (() => new Date());
  const random = opts.random ?? Math.random;
  const retry = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
  const jobs = new Map<string, StoredJob>();
  const due = createDueSignal();

  const owned = (jobId: string, workerId: string): StoredJob | null => {
    const job = jobs.get(jobId);
    return job && job.state === 'running' && job.lockedBy === workerId ? job : null;
  };
  const requireOwned = (jobId: string, workerId: string): StoredJob => {
    const job = owned(jobId, workerId);
    if (!job) throw new LeaseLostError(jobId, workerId);
    return job;
  };

  return {
    async enqueue(input) {
      const at = now();
      const v = toNewJobValues(input, at);
      if (v.dedupeKey !== null) {
        for (const job of jobs.values()) {
          if (job.clientKey === v.clientKey && job.dedupeKey === v.dedupeKey) return { job: toJob(job), created: false };
        }
      }
      const job: StoredJob = {
        id: v.id,
        clientKey: v.clientKey,
        type: v.type,
        payloadJson: v.payloadJson,
        attempts: 0,
        maxAttempts: v.maxAttempts,
        priority: v.priority,
        state: 'queued',
        dedupeKey: v.dedupeKey,
        runAt: v.runAt,
        lockedBy: null,
        leaseExpiresAt: null,
        lastError: null,
        resultJson: null,
        createdAt: v.createdAt,
        updatedAt: v.createdAt,
      };
      jobs.set(job.id, job);
      if (v.runAt <= at) due.raise();
      return { job: toJob(job), created: true };
    },

    async claim(workerId, claimOpts) {
      const limit = toClaimLimit(claimOpts);
      const at = now();
      const types = claimOpts.types ? new Set(claimOpts.types) : null;
      const expired = (j: StoredJob) => j.state === 'running' && j.leaseExpiresAt !== null && j.leaseExpiresAt <= at;
      const candidates: StoredJob[] = [];
      for (const job of jobs.values()) {
        if (types && !types.has(job.type)) continue;
        if (expired(job) && job.attempts >= job.maxAttempts) {
          patch(job, { state: 'dead', lockedBy: null, leaseExpiresAt: null, lastError: LEASE_EXPIRED_MESSAGE, updatedAt: at });
          continue;
        }
        if ((job.state === 'queued' && job.runAt <= at) || expired(job)) candidates.push(job);
      }
      const picked = candidates.sort(compareClaimOrder).slice(0, limit);
      for (const job of picked) {
        patch(job, {
          state: 'running',
          lockedBy: workerId,
          leaseExpiresAt: new Date(at.getTime() + claimOpts.leaseMs),
          attempts: job.attempts + 1,
          updatedAt: at,
        });
      }
      return picked.map(toJob);
    },

    async heartbeat(jobId, workerId, leaseMs) {
      const job = owned(jobId, workerId);
      if (!job) return false;
      const at = now();
      patch(job, { leaseExpiresAt: new Date(at.getTime() + leaseMs), updatedAt: at });
      return true;
    },

    async complete(jobId, workerId, result) {
      const job = requireOwned(jobId, workerId);
      const resultJson = toResultJson(result);
      patch(job, { state: 'succeeded', lockedBy: null, leaseExpiresAt: null, resultJson, updatedAt: now() });
    },

    async fail(jobId, workerId, error) {
      const job = requireOwned(jobId, workerId);
      const at = now();
      const lastError = toErrorText(error.message);
      if (error.retryable && job.attempts < job.maxAttempts) {
        const delay = error.retryAfterMs ?? getRetryDelayMs(job.attempts, retry, random);
        patch(job, { state: 'queued', runAt: new Date(at.getTime() + delay), lockedBy: null, leaseExpiresAt: null, lastError, updatedAt: at });
      } else {
        patch(job, { state: 'dead', lockedBy: null, leaseExpiresAt: null, lastError, updatedAt: at });
      }
      return toJob(job);
    },

    async release(jobId, workerId) {
      const job = requireOwned(jobId, workerId);
      const at = now();
      patch(job, { state: 'queued', runAt: at, attempts: Math.max(0, job.attempts - 1), lockedBy: null, leaseExpiresAt: null, updatedAt: at });
    },

    async get(clientKey, jobId) {
      const job = jobs.get(jobId);
      return job && job.clientKey === clientKey ? toJob(job) : null;
    },

    async list(clientKey, listOpts) {
      const { limit, offset } = toListLimit(listOpts);
      return [...jobs.values()]
        .filter((j) => j.clientKey === clientKey && (!listOpts.state || j.state === listOpts.state) && (!listOpts.type || j.type === listOpts.type))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .slice(offset, offset + limit)
        .map(toJob);
    },

    async retryDead(clientKey, jobId) {
      const job = jobs.get(jobId);
      if (!job || job.clientKey !== clientKey || job.state !== 'dead') return null;
      const at = now();
      patch(job, { state: 'queued', attempts: 0, runAt: at, updatedAt: at });
      due.raise();
      return toJob(job);
    },

    onDue: (listener) => due.subscribe(listener),
  };
}
