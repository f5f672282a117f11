import { QueryTypes } from 'sequelize';
import type { Logger } from '../log';
import type { Database } from '../storage';
import type { WebhookDeliveryInput } from './webhook-delivery-store';
import { toNewJobValues } from './job-queue';
import { toWebhookJob } from './webhook-jobs';
import { toRuleJobs } from './handlers/rule-jobs';
import { toCiFailureCommentJobs } from './handlers/ci-failure-comment-jobs';
import { toMergeQueuePullRequestJobs, toMergeQueueStatusJobs } from './handlers/merge-queue-status-jobs';

export interface IntakeInput extends WebhookDeliveryInput {
  commitHash: string | null;
}

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
export function createDeliveryIntake(deps: { db: Database; now: () => Date; logger: Logger }): DeliveryIntake {
  let queue: Pending[] = [];

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
    // Plain multi-row statements: this is the hottest write path, and model instances cost more than the SQL.
    await deps.db.sequelize.transaction(async (transaction) => {
      const deliveryRows = unique.map(({ input }) => [
        input.clientKey, input.requestUuid, input.hookUuid, input.eventKey, input.attempt,
        input.repositoryUuid, input.pullrequestId, JSON.stringify(input.payload), input.receivedAt,
      ]);
      // ON CONFLICT … DO NOTHING RETURNING names exactly the rows this batch stored: the rest were
      // stored before (a redelivery), here or by another process.
      const inserted = await deps.db.sequelize.query<{ client_key: string; request_uuid: string }>(
        // The leading comment keeps Sequelize's SQLite driver from running this as a plain INSERT
        // (which drops RETURNING rows); both databases ignore it.
        `/* intake */ INSERT INTO webhook_deliveries (client_key, request_uuid, hook_uuid, event_key, attempt, repository_uuid, pullrequest_id, payload, received_at)
         VALUES ${deliveryRows.map(() => '(?)').join(', ')}
         ON CONFLICT (client_key, request_uuid) DO NOTHING
         RETURNING client_key, request_uuid`,
        // SELECT so that both dialects hand back the RETURNING rows.
        { replacements: deliveryRows, transaction, type: QueryTypes.SELECT },
      );
      const stored = new Set(inserted.map((r) => `${r.client_key}\n${r.request_uuid}`));
      for (const [key, p] of firstByKey) if (stored.has(key)) fresh.add(p);
      const jobRows = [...fresh]
        .flatMap(({ input }) => [toWebhookJob({ ...input, pullRequestId: input.pullrequestId }, now), ...toRuleJobs({ ...input, pullRequestId: input.pullrequestId }, now), ...toCiFailureCommentJobs({ ...input, pullRequestId: input.pullrequestId }, now), ...toMergeQueueStatusJobs({ ...input, pullRequestId: input.pullrequestId }, now), ...toMergeQueuePullRequestJobs({ ...input, pullRequestId: input.pullrequestId }, now)])
        .filter((j) => j !== null)
        .map((j) => {
          const v = toNewJobValues(j, now);
          return [v.id, v.clientKey, v.type, v.payloadJson, 'queued', 0, v.maxAttempts, v.priority, v.dedupeKey, v.runAt, v.createdAt, v.createdAt];
        });
      // Dedupe keys make coalescing and redelivery safe: an existing job absorbs the new event.
      if (jobRows.length > 0) {
        await deps.db.sequelize.query(
          `INSERT INTO jobs (id, client_key, type, payload, state, attempts, max_attempts, priority, dedupe_key, run_at, created_at, updated_at)
           VALUES ${jobRows.map(() => '(?)').join(', ')}
           ON CONFLICT (client_key, dedupe_key) DO NOTHING`,
          { replacements: jobRows, transaction },
        );
      }
    });
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
