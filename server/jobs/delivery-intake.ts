import type { WebhookCommentEvent } from '../host';
import type { Logger } from '../log';
import type { Database } from '../storage';
import { raiseJobsDue } from './sql-job-queue';
import { toValuesPlaceholders, withRawWriteTransaction, type RawQuery, type RawValue } from '../storage/raw-transaction-query';
import type { WebhookDeliveryInput } from './webhook-delivery-store';
import { toNewJobValues, type EnqueueInput } from './job-queue';
import { toWebhookJob, type DeliveryFacts } from './webhook-jobs';
import { isMergeQueueEvent, toMergeQueuePullRequestJobs, toMergeQueueStatusJobs } from './handlers/merge-queue-status-jobs';

export interface IntakeInput extends WebhookDeliveryInput {
  commitHash: string | null;
  /** A PR comment as the edge parsed it (null for other events): its job carries it. */
  comment: WebhookCommentEvent | null;
}

/**
 * Jobs a stored delivery calls for beyond its own (the rule automations', registered by the composition
 * root: jobs/ knows no rule), written in the same transaction as the delivery.
 */
export type DeliveryJobSource = (facts: DeliveryFacts, now: Date) => EnqueueInput[];

export interface DeliveryIntake {
  /**
   * Stores the delivery once per (tenant, X-Request-UUID) and, in the same transaction, the job
   * it calls for. Resolves once both are committed; `duplicate` for a redelivery.
   */
  accept(input: IntakeInput): Promise<{ duplicate: boolean }>;
  /** Resolves once the work that follows acknowledged deliveries (the mirror's projection) has caught up. */
  settled?(): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  input: IntakeInput;
  resolve: (value: { duplicate: boolean }) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 256;

/**
 * Group commit: deliveries arriving while a transaction is in flight are written together in the
 * next one, so a burst costs one commit (one fsync on SQLite) instead of one per delivery.
 */
export function createDeliveryIntake(deps: { db: Database; now: () => Date; logger: Logger; deliveryJobs?: readonly DeliveryJobSource[] }): DeliveryIntake {
  const sources = deps.deliveryJobs ?? [];
  let queue: Pending[] = [];

  // Tenants known to have a merge queue. A yes only ever adds jobs (what every tenant got before),
  // so it may be trusted for a while on any instance; a no is asked again in every batch's transaction.
  const queueTenants = new Map<string, number>();
  const QUEUE_TENANT_TTL_MS = 60_000;

  /** Of these tenants, those with a merge queue (read in the batch's transaction, so it sees committed queues). */
  const loadQueueTenants = async (clientKeys: string[], query: RawQuery): Promise<Set<string>> => {
    const at = Date.now();
    const known = new Set(clientKeys.filter((k) => (queueTenants.get(k) ?? 0) > at));
    const unknown = clientKeys.filter((k) => !known.has(k));
    if (unknown.length > 0) {
      const rows = await query<{ client_key: string }>(
        `SELECT DISTINCT client_key FROM merge_queues WHERE client_key IN (${unknown.map(() => '?').join(', ')})`,
        unknown,
      );
      for (const { client_key: key } of rows) {
        known.add(key);
        queueTenants.set(key, at + QUEUE_TENANT_TTL_MS);
      }
    }
    return known;
  };

  const writeBatch = async (batch: Pending[]) => {
    const now = deps.now();
    // Within a batch, a redelivery of the same request is a duplicate of the first.
    const firstByKey = new Map<string, Pending>();
    for (const p of batch) {
      const key = `${p.input.clientKey}\n${p.input.requestUuid}`;
      if (!firstByKey.has(key)) firstByKey.set(key, p);
    }
    const unique = [...firstByKey.values()];
    const fresh = new Set<Pending>();
    // A job of this batch may run at once (a comment command; coalesced ones wait their window).
    let dueNow = false;
    // Plain multi-row statements bound by the driver (withRawWriteTransaction): this is the hottest write
    // path, and Sequelize's per-statement work and model instances cost more than the SQL.
    await withRawWriteTransaction(deps.db, async (query) => {
      const deliveryValues: RawValue[] = [];
      for (const { input } of unique) {
        deliveryValues.push(
          input.clientKey, input.requestUuid, input.hookUuid, input.eventKey, input.attempt,
          input.repositoryUuid, input.pullrequestId, JSON.stringify(input.payload), input.receivedAt,
        );
      }
      // ON CONFLICT … DO NOTHING RETURNING names exactly the rows this batch stored: the rest were
      // stored before (a redelivery), here or by another process.
      const inserted = await query<{ client_key: string; request_uuid: string }>(
        `INSERT INTO webhook_deliveries (client_key, request_uuid, hook_uuid, event_key, attempt, repository_uuid, pullrequest_id, payload, received_at)
         VALUES ${toValuesPlaceholders(unique.length, 9)}
         ON CONFLICT (client_key, request_uuid) DO NOTHING
         RETURNING client_key, request_uuid`,
        deliveryValues,
      );
      const stored = new Set(inserted.map((r) => `${r.client_key}\n${r.request_uuid}`));
      for (const [key, p] of firstByKey) if (stored.has(key)) fresh.add(p);
      const facts = [...fresh].map(({ input }) => ({ ...input, pullRequestId: input.pullrequestId }));
      // The merge queue's jobs only for tenants that have a queue: a status or PR event of any other
      // tenant would make a job whose only work is finding no queue.
      const queueCandidates = [...new Set(facts.filter(isMergeQueueEvent).map((f) => f.clientKey))];
      const withQueues = queueCandidates.length > 0 ? await loadQueueTenants(queueCandidates, query) : new Set<string>();
      // Coalesced jobs of a burst share a dedupe key: one row per key is enough (the first, as the
      // database's ON CONFLICT DO NOTHING would keep).
      const jobsByKey = new Map<string, EnqueueInput>();
      const undeduped: EnqueueInput[] = [];
      for (const f of facts) {
        const wanted = [toWebhookJob(f, now), ...sources.flatMap((source) => source(f, now))];
        if (withQueues.has(f.clientKey)) wanted.push(...toMergeQueueStatusJobs(f, now), ...toMergeQueuePullRequestJobs(f, now));
        for (const job of wanted) {
          if (!job) continue;
          if (job.dedupeKey === undefined) undeduped.push(job);
          else {
            const key = `${job.clientKey}\n${job.dedupeKey}`;
            if (!jobsByKey.has(key)) jobsByKey.set(key, job);
          }
        }
      }
      const jobValues: RawValue[] = [];
      let jobCount = 0;
      for (const job of [...jobsByKey.values(), ...undeduped]) {
        if (!job.runAt || job.runAt.getTime() <= now.getTime()) dueNow = true;
        const v = toNewJobValues(job, now);
        jobValues.push(v.id, v.clientKey, v.type, v.payloadJson, 'queued', 0, v.maxAttempts, v.priority, v.dedupeKey, v.runAt, v.createdAt, v.createdAt);
        jobCount += 1;
      }
      // Dedupe keys make coalescing and redelivery safe: an existing job absorbs the new event.
      if (jobCount > 0) {
        await query(
          `INSERT INTO jobs (id, client_key, type, payload, state, attempts, max_attempts, priority, dedupe_key, run_at, created_at, updated_at)
           VALUES ${toValuesPlaceholders(jobCount, 12)}
           ON CONFLICT (client_key, dedupe_key) DO NOTHING`,
          jobValues,
        );
      }
    });
    // Committed: this process's worker claims it now rather than at its next poll (other instances poll).
    if (dueNow) raiseJobsDue(deps.db);
    for (const p of batch) p.resolve({ duplicate: !fresh.has(p) });
  };

  // SQLite has one writer: one batch at a time. PostgreSQL commits several at once (and groups
  // their WAL flushes), so a batch may start while earlier ones are still committing.
  const maxInFlight = deps.db.dialect === 'postgres' ? 4 : 1;
  let inFlight = 0;
  let scheduled = false;
  const idleWaiters: Array<() => void> = [];

  const pump = () => {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      inFlight += 1;
      writeBatch(batch)
        .catch((err: unknown) => {
          deps.logger.error('Storing webhook deliveries failed', { count: batch.length, err });
          for (const p of batch) p.reject(err);
        })
        .finally(() => {
          inFlight -= 1;
          pump();
          if (inFlight === 0 && queue.length === 0) for (const wake of idleWaiters.splice(0)) wake();
        });
    }
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // setImmediate lets the requests already parsed in this turn join the batch.
    setImmediate(() => {
      scheduled = false;
      pump();
    });
  };

  return {
    accept(input) {
      return new Promise((resolve, reject) => {
        queue.push({ input, resolve, reject });
        schedule();
      });
    },
    async close() {
      if (inFlight === 0 && queue.length === 0 && !scheduled) return;
      await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
