import type { Logger } from '../log';
import type { Database, WebhookDeliveryInput } from '../storage';
import { toNewJobValues } from './job-queue';
import { toWebhookJob } from './webhook-jobs';

export interface IntakeInput extends WebhookDeliveryInput {
  commitHash: string | null;
}

export interface DeliveryIntake {
  /**
   * Stores the delivery once per (tenant, X-Request-UUID) and, in the same transaction, the job
   * it calls for. Resolves once both are committed; `duplicate` for a redelivery.
   */
  accept(input: IntakeInput): Promise<{ duplicate: boolean }>;
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
  const { WebhookDelivery, Job } = deps.db.models;
  let queue: Pending[] = [];
  let flushing: Promise<void> | null = null;

  const writeBatch = async (batch: Pending[]) => {
    const now = deps.now();
    // Within a batch, a redelivery of the same request is a duplicate of the first.
    const firstByKey = new Map<string, Pending>();
    for (const p of batch) {
      const key = `${p.input.clientKey}\n${p.input.requestUuid}`;
      if (!firstByKey.has(key)) firstByKey.set(key, p);
    }
    const fresh = new Set<Pending>();
    await deps.db.sequelize.transaction(async (transaction) => {
      const byTenant = new Map<string, string[]>();
      for (const p of firstByKey.values()) byTenant.set(p.input.clientKey, [...(byTenant.get(p.input.clientKey) ?? []), p.input.requestUuid]);
      const known = new Set<string>();
      for (const [clientKey, uuids] of byTenant) {
        const rows = await WebhookDelivery.findAll({ where: { clientKey, requestUuid: uuids }, attributes: ['requestUuid'], transaction });
        for (const r of rows) known.add(`${clientKey}\n${r.requestUuid}`);
      }
      for (const [key, p] of firstByKey) if (!known.has(key)) fresh.add(p);
      const deliveries = [...fresh].map(({ input }) => ({
        clientKey: input.clientKey,
        requestUuid: input.requestUuid,
        hookUuid: input.hookUuid,
        eventKey: input.eventKey,
        attempt: input.attempt,
        repositoryUuid: input.repositoryUuid,
        pullrequestId: input.pullrequestId,
        payload: JSON.stringify(input.payload),
        receivedAt: input.receivedAt,
      }));
      // A concurrent process may have stored the same request meanwhile (PostgreSQL): skip it.
      if (deliveries.length > 0) await WebhookDelivery.bulkCreate(deliveries, { transaction, ignoreDuplicates: true });
      const jobs = [...fresh]
        .map(({ input }) => toWebhookJob({ ...input, pullRequestId: input.pullrequestId }, now))
        .filter((j) => j !== null)
        .map((j) => {
          const v = toNewJobValues(j, now);
          return {
            id: v.id, clientKey: v.clientKey, type: v.type, payload: v.payloadJson, state: 'queued', attempts: 0,
            maxAttempts: v.maxAttempts, priority: v.priority, dedupeKey: v.dedupeKey, runAt: v.runAt, lockedBy: null,
            leaseExpiresAt: null, lastError: null, result: null, createdAt: v.createdAt, updatedAt: v.createdAt,
          };
        });
      // Dedupe keys make coalescing and redelivery safe: an existing job absorbs the new event.
      if (jobs.length > 0) await Job.bulkCreate(jobs, { transaction, ignoreDuplicates: true });
    });
    for (const p of batch) p.resolve({ duplicate: !fresh.has(p) });
  };

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        await writeBatch(batch);
      } catch (err) {
        deps.logger.error('Storing webhook deliveries failed', { count: batch.length, err });
        for (const p of batch) p.reject(err);
      }
    }
  };

  const schedule = () => {
    if (flushing) return;
    // setImmediate lets the requests already parsed in this turn join the batch.
    flushing = new Promise<void>((r) => setImmediate(r))
      .then(flush)
      .finally(() => {
        flushing = null;
        // Anything queued after the loop's last look gets its own flush.
        if (queue.length > 0) schedule();
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
      while (flushing) await flushing;
    },
  };
}
