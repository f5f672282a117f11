import type { WebhookCommentEvent } from '../host';
import type { Logger } from '../log';
import type { Database } from '../storage';
import { raiseJobsDue } from './sql-job-queue';
import { runPgPrepared, toValuesPlaceholders, withRawWriteTransaction, type PgPreparedStatement, type RawQuery, type RawValue } from '../storage/raw-transaction-query';
import type { WebhookDeliveryInput } from './webhook-delivery-store';
import { toNewJobValues, type EnqueueInput, type NewJobValues } from './job-queue';
import { toWebhookJob, type DeliveryFacts } from './webhook-jobs';
import { isMergeQueueEvent, toMergeQueuePullRequestJobs, toMergeQueueStatusJobs } from './handlers/merge-queue-status-jobs';

export interface IntakeInput extends WebhookDeliveryInput {
  commitHash: string | null;
  /** A PR comment as the edge parsed it (null for other events): its job carries it. */
  comment: WebhookCommentEvent | null;
  /**
   * `payload` as the JSON text it arrived as (the edge's exact substring of the body), stored as is; absent,
   * the intake stores JSON.stringify(payload). Saves serialising again what was just parsed.
   */
  payloadJson?: string;
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

const toPayloadJson = (input: IntakeInput): string => input.payloadJson ?? JSON.stringify(input.payload);

interface Pending {
  input: IntakeInput;
  resolve: (value: { duplicate: boolean }) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 256;

/**
 * A batch of deliveries and their jobs in one PostgreSQL statement (one round trip, one commit, atomic):
 * the deliveries ($1–$9) go in with ON CONFLICT DO NOTHING; RETURNING names those this statement stored.
 * Their payloads ($8) travel as one JSON array, `[p1,p2,…]`: each is already JSON text, and the driver's
 * text[] encoding escaped every quote of every payload again (~4% of the intake's CPU per delivery, CPU
 * profile under bench/webhook-intake.ts). json (not jsonb) keeps each element's text exactly as sent.
 * Job candidates ($11–$19), each made by the deliveries `source` names ($20, $21: candidate, delivery, both
 * 1-based), go in only when one of those deliveries was stored, and a merge queue's (`needs_queue`) only
 * for a tenant with a queue among $10; per dedupe key, the candidate of the first stored delivery. The
 * answer: a row per stored delivery and one per tenant of $10 that has a queue. A fixed text, so the driver
 * prepares it once per connection and PostgreSQL plans it once.
 */
const PG_INTAKE: PgPreparedStatement = {
  name: 'bosun_intake_v2',
  text: `WITH input AS (
    SELECT d.*, p.payload::text AS payload
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[], $9::timestamptz[]) WITH ORDINALITY
      AS d(client_key, request_uuid, hook_uuid, event_key, attempt, repository_uuid, pullrequest_id, received_at, seq)
    JOIN json_array_elements($8::json) WITH ORDINALITY AS p(payload, seq) USING (seq)
  ), stored AS (
    INSERT INTO webhook_deliveries (client_key, request_uuid, hook_uuid, event_key, attempt, repository_uuid, pullrequest_id, payload, received_at)
    SELECT client_key, request_uuid, hook_uuid, event_key, attempt, repository_uuid, pullrequest_id, payload, received_at FROM input ORDER BY seq
    ON CONFLICT (client_key, request_uuid) DO NOTHING
    RETURNING client_key, request_uuid
  ), fresh AS (
    SELECT i.seq FROM input i JOIN stored s ON s.client_key = i.client_key AND s.request_uuid = i.request_uuid
  ), queued AS (
    SELECT DISTINCT client_key FROM merge_queues WHERE client_key = ANY($10::text[])
  ), candidate AS (
    SELECT * FROM unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::int[], $17::text[], $18::timestamptz[], $19::boolean[]) WITH ORDINALITY
      AS c(id, client_key, type, payload, max_attempts, priority, dedupe_key, run_at, needs_queue, n)
  ), eligible AS (
    SELECT c.*, (SELECT min(s.seq) FROM unnest($20::int[], $21::int[]) AS s(n, seq) JOIN fresh f ON f.seq = s.seq WHERE s.n = c.n) AS first_seq
    FROM candidate c
    WHERE NOT c.needs_queue OR c.client_key IN (SELECT client_key FROM queued)
  ), chosen AS (
    SELECT DISTINCT ON (client_key, dedupe_key, CASE WHEN dedupe_key IS NULL THEN n END) *
    FROM eligible WHERE first_seq IS NOT NULL
    ORDER BY client_key, dedupe_key, CASE WHEN dedupe_key IS NULL THEN n END, first_seq, n
  ), jobs_written AS (
    INSERT INTO jobs (id, client_key, type, payload, state, attempts, max_attempts, priority, dedupe_key, run_at, created_at, updated_at)
    SELECT id, client_key, type, payload, 'queued', 0, max_attempts, priority, dedupe_key, run_at, $22::timestamptz, $22::timestamptz FROM chosen ORDER BY first_seq, n
    ON CONFLICT (client_key, dedupe_key) DO NOTHING
  )
  SELECT 'stored' AS kind, client_key, request_uuid FROM stored
  UNION ALL SELECT 'queue', client_key, NULL FROM queued`,
};

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

  /** A delivery's jobs: its own, the registered sources', and the merge queue's when `withQueue`. */
  const toWantedJobs = (f: DeliveryFacts, withQueue: boolean, now: Date): EnqueueInput[] => {
    const wanted = [toWebhookJob(f, now), ...sources.flatMap((source) => source(f, now))].filter((job): job is EnqueueInput => job !== null);
    return withQueue ? [...wanted, ...toQueueJobs(f, now)] : wanted;
  };
  const toQueueJobs = (f: DeliveryFacts, now: Date): EnqueueInput[] => [...toMergeQueueStatusJobs(f, now), ...toMergeQueuePullRequestJobs(f, now)];
  const toFacts = (input: IntakeInput): DeliveryFacts => ({ ...input, pullRequestId: input.pullrequestId });
  const isDueNow = (job: EnqueueInput, now: Date) => !job.runAt || job.runAt.getTime() <= now.getTime();

  /**
   * SQLite: the batch's statements in one transaction of the raw writer (one fsync), the merge queue's
   * tenants read in it, jobs only for the deliveries the first statement stored.
   */
  const writeBatchInTransaction = async (unique: Pending[], now: Date): Promise<{ fresh: Set<Pending>; dueNow: boolean }> => {
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
          input.repositoryUuid, input.pullrequestId, toPayloadJson(input), input.receivedAt,
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
      for (const p of unique) if (stored.has(`${p.input.clientKey}\n${p.input.requestUuid}`)) fresh.add(p);
      const facts = [...fresh].map(({ input }) => toFacts(input));
      // The merge queue's jobs only for tenants that have a queue: a status or PR event of any other
      // tenant would make a job whose only work is finding no queue.
      const queueCandidates = [...new Set(facts.filter(isMergeQueueEvent).map((f) => f.clientKey))];
      const withQueues = queueCandidates.length > 0 ? await loadQueueTenants(queueCandidates, query) : new Set<string>();
      // Coalesced jobs of a burst share a dedupe key: one row per key is enough (the first, as the
      // database's ON CONFLICT DO NOTHING would keep).
      const jobsByKey = new Map<string, EnqueueInput>();
      const undeduped: EnqueueInput[] = [];
      for (const f of facts) {
        for (const job of toWantedJobs(f, withQueues.has(f.clientKey), now)) {
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
        if (isDueNow(job, now)) dueNow = true;
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
    return { fresh, dueNow };
  };

  /**
   * PostgreSQL: the whole batch in one statement, so one round trip instead of BEGIN, two or three statements
   * and COMMIT (see PG_INTAKE). Which deliveries are new is only known inside it, so the jobs go in as
   * candidates, each naming the deliveries that call for it, and the statement keeps, per dedupe key, the
   * candidate of the first new delivery: what the transaction above writes.
   */
  const writeBatchInOneStatement = async (unique: Pending[], now: Date): Promise<{ fresh: Set<Pending>; dueNow: boolean }> => {
    const at = Date.now();
    const facts = unique.map(({ input }) => toFacts(input));
    // Tenants not known to have a queue are asked in the statement (it sees queues committed before it).
    const unknownQueueTenants = [...new Set(facts.filter((f) => isMergeQueueEvent(f) && !((queueTenants.get(f.clientKey) ?? 0) > at)).map((f) => f.clientKey))];
    const unknown = new Set(unknownQueueTenants);
    const d = { clientKey: [] as string[], requestUuid: [] as string[], hookUuid: [] as Array<string | null>, eventKey: [] as string[], attempt: [] as number[], repositoryUuid: [] as Array<string | null>, pullrequestId: [] as Array<number | null>, payload: [] as string[], receivedAt: [] as Date[] };
    const c = { id: [] as string[], clientKey: [] as string[], type: [] as string[], payload: [] as string[], maxAttempts: [] as number[], priority: [] as number[], dedupeKey: [] as Array<string | null>, runAt: [] as Date[], needsQueue: [] as boolean[] };
    const source = { candidate: [] as number[], delivery: [] as number[] };
    // Candidates alike in everything (a burst about one PR) are sent once, naming every delivery that wants them.
    // Compared field by field within a dedupe key (usually one candidate each): serialising a key cost more.
    const candidatesByKey = new Map<string, number[]>();
    const candidates: Array<{ job: EnqueueInput; values: NewJobValues; needsQueue: boolean; deliveries: number[] }> = [];
    const isAlike = (a: NewJobValues, aQueue: boolean, b: NewJobValues, bQueue: boolean) =>
      aQueue === bQueue && a.type === b.type && a.payloadJson === b.payloadJson && a.maxAttempts === b.maxAttempts && a.priority === b.priority && a.runAt.getTime() === b.runAt.getTime();
    facts.forEach((f, i) => {
      const { input } = unique[i]!;
      d.clientKey.push(input.clientKey); d.requestUuid.push(input.requestUuid); d.hookUuid.push(input.hookUuid); d.eventKey.push(input.eventKey);
      d.attempt.push(input.attempt); d.repositoryUuid.push(input.repositoryUuid); d.pullrequestId.push(input.pullrequestId);
      d.payload.push(toPayloadJson(input)); d.receivedAt.push(input.receivedAt);
      const queue = isMergeQueueEvent(f) && ((queueTenants.get(f.clientKey) ?? 0) > at || unknown.has(f.clientKey));
      const own = toWantedJobs(f, false, now);
      const queueJobs = queue ? toQueueJobs(f, now) : [];
      for (const [job, needsQueue] of [...own.map((j) => [j, false] as const), ...queueJobs.map((j) => [j, unknown.has(f.clientKey)] as const)]) {
        const v = toNewJobValues(job, now);
        const key = v.dedupeKey === null ? null : `${v.clientKey}\n${v.dedupeKey}`;
        const sameKey = key === null ? undefined : candidatesByKey.get(key);
        const known = sameKey?.find((k) => isAlike(candidates[k]!.values, candidates[k]!.needsQueue, v, needsQueue));
        if (known !== undefined) {
          candidates[known]!.deliveries.push(i + 1);
          source.candidate.push(known + 1); source.delivery.push(i + 1);
          continue;
        }
        const n = candidates.length;
        if (key !== null) {
          if (sameKey) sameKey.push(n);
          else candidatesByKey.set(key, [n]);
        }
        candidates.push({ job, values: v, needsQueue, deliveries: [i + 1] });
        c.id.push(v.id); c.clientKey.push(v.clientKey); c.type.push(v.type); c.payload.push(v.payloadJson); c.maxAttempts.push(v.maxAttempts);
        c.priority.push(v.priority); c.dedupeKey.push(v.dedupeKey); c.runAt.push(v.runAt); c.needsQueue.push(needsQueue);
        source.candidate.push(n + 1); source.delivery.push(i + 1);
      }
    });
    const rows = await runPgPrepared<{ kind: 'stored' | 'queue'; client_key: string; request_uuid: string | null }>(deps.db, PG_INTAKE, [
      d.clientKey, d.requestUuid, d.hookUuid, d.eventKey, d.attempt, d.repositoryUuid, d.pullrequestId, `[${d.payload.join(',')}]`, d.receivedAt,
      unknownQueueTenants,
      c.id, c.clientKey, c.type, c.payload, c.maxAttempts, c.priority, c.dedupeKey, c.runAt, c.needsQueue,
      source.candidate, source.delivery, now,
    ]);
    const stored = new Set<string>();
    const withQueues = new Set<string>();
    for (const r of rows) {
      if (r.kind === 'stored') stored.add(`${r.client_key}\n${r.request_uuid ?? ''}`);
      else {
        withQueues.add(r.client_key);
        queueTenants.set(r.client_key, at + QUEUE_TENANT_TTL_MS);
      }
    }
    const fresh = new Set(unique.filter((p) => stored.has(`${p.input.clientKey}\n${p.input.requestUuid}`)));
    const freshIndex = new Set(unique.flatMap((p, i) => (fresh.has(p) ? [i + 1] : [])));
    const dueNow = candidates.some(({ job, needsQueue, deliveries }) => isDueNow(job, now) && (!needsQueue || withQueues.has(job.clientKey)) && deliveries.some((i) => freshIndex.has(i)));
    return { fresh, dueNow };
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
    const { fresh, dueNow } = deps.db.dialect === 'postgres' ? await writeBatchInOneStatement(unique, now) : await writeBatchInTransaction(unique, now);
    // Committed: this process's worker claims it now rather than at its next poll (other instances poll).
    if (dueNow) raiseJobsDue(deps.db);
    for (const p of batch) p.resolve({ duplicate: !fresh.has(p) });
  };

  // SQLite has one writer: one batch at a time. PostgreSQL runs two at once, on two connections, so
  // one is written while the next fills; more split a burst into more, smaller statements, each
  // costing the backend and the driver per statement. Measured with bench/webhook-intake.ts's
  // deliveries, closed loop of 32, interleaved, same session (deliveries/s): 4 in flight 3,126 against
  // 1's 3,574 (medians of 3 runs); then 1: 5,494, 2: 5,875, 3: 5,456 (means of 4 rounds of 12,000).
  const maxInFlight = deps.db.dialect === 'postgres' ? 2 : 1;
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
