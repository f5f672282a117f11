import { z } from 'zod';
import { decideSpend, toMinute, type BudgetPolicy, type BudgetStore, type SpendDecision } from './budget';
import type { TenantStore } from './host';
import { AGENT_EXECUTE_JOB, enqueueAgentExecution, PermanentJobError, type Job, type JobHandler, type JobQueue } from './jobs';
import type { Logger } from './log';
import { estimateApplyCost } from './policies/repository-template-apply-cost';
import type { RepositoryTemplateStore } from './policies/repository-template-store';

export const TEMPLATE_BATCH_JOB = 'templates.bulkApply';
/** The job trigger kind of a bulk apply's per-repository applies: their requests are automation's (create-automation's lanes). */
export const TEMPLATE_BATCH_TRIGGER = 'template-batch';
const HOUR_MS = 3_600_000;

const slug = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,61}$/);
export const templateBatchPayloadSchema = z.object({
  template: z.string().min(1).max(64),
  repos: z.array(slug).min(1).max(500),
  batchKey: z.string().min(8).max(64),
  actor: z.object({ userUuid: z.string().min(1).max(64), accountId: z.string().max(128).nullable() }),
  /** Index of the first repository this run releases (a run after a pause goes on from there). */
  from: z.number().int().min(0),
});
export type TemplateBatchPayload = z.infer<typeof templateBatchPayloadSchema>;

/** What each run of the batch job leaves in its result: the repositories it released and where the next run is. */
export const templateBatchResultSchema = z.object({
  released: z.array(z.object({ repo: z.string(), jobId: z.string() })),
  next: z.string().nullable(),
  pausedUntil: z.string().nullable(),
  reason: z.string().nullable(),
});
export type TemplateBatchResult = z.infer<typeof templateBatchResultSchema>;

export const toRepoApplyKey = (batchKey: string, repo: string) => `template:${batchKey}:${repo}`;

/** The first run of a batch (the admin API's apply) and each run after a pause. */
export async function enqueueTemplateBatch(queue: JobQueue, clientKey: string, payload: TemplateBatchPayload, runAt?: Date): Promise<Job> {
  const { job } = await queue.enqueue({
    clientKey,
    type: TEMPLATE_BATCH_JOB,
    payload,
    dedupeKey: payload.from === 0 ? `template-batch:${payload.batchKey}` : `template-batch:${payload.batchKey}:${payload.from}`,
    ...(runAt ? { runAt } : {}),
    maxAttempts: 5,
  });
  return job;
}

/**
 * The installation's budget as it stood when a batch run began, and whether its automation lane may
 * spend `cost` more requests by the budget's own rule (decideSpend: the reserve kept for people, a
 * 429's pause), without counting anything: the applies count their requests themselves, in the
 * automation lane, as they make them. Read once per run: an apply this run released may already be
 * spending while the run goes on, and its requests must weigh once (as released), not again as usage.
 */
async function loadAutomationLane(store: BudgetStore, policy: BudgetPolicy, clientKey: string, at: Date): Promise<(cost: number) => SpendDecision> {
  const [usage, pauses] = await Promise.all([store.loadUsage(clientKey, toMinute(new Date(at.getTime() - HOUR_MS)) - 1, 'installation'), store.loadPauses(clientKey, 'installation')]);
  const byMinute = new Map<number, number>();
  for (const row of usage) byMinute.set(row.minute, (byMinute.get(row.minute) ?? 0) + row.count);
  const pausedUntil = pauses.reduce<Date | null>((latest, p) => (!latest || p.until > latest ? p.until : latest), null);
  const buckets = [...byMinute].map(([minute, count]) => ({ minute, count }));
  return (cost) => decideSpend({ buckets, pausedUntil }, 'automation', cost, at, policy);
}

/**
 * A bulk apply within the installation's rate budget, in the automation lane. Before it releases one
 * repository's apply (an agent.execute job with its own execution, audit entry and retries), it checks
 * that the lane, as it stood when the run began, has room for what this run has released so far plus
 * what that apply may cost. When it
 * has not (the hour is nearly used, or a 429 paused the lane), the run stops there and queues the next
 * run for when the budget has room: the batch pauses and resumes by itself. The applies' requests are
 * counted as they are made (automation lane, TEMPLATE_BATCH_TRIGGER), so nothing is counted twice. A
 * retried run releases nothing twice (each apply is deduped by the batch key and repository).
 */
export function createTemplateBatchJob(deps: {
  queue: JobQueue;
  budget: { store: BudgetStore; policy: BudgetPolicy };
  templates: RepositoryTemplateStore;
  tenants: Pick<TenantStore, 'get'>;
  now: () => Date;
  logger: Logger;
}): {
  handlers: Record<string, JobHandler>;
} {
  const handler: JobHandler = async (job): Promise<TemplateBatchResult> => {
    const parsed = templateBatchPayloadSchema.safeParse(job.payload);
    if (!parsed.success) throw new PermanentJobError('The templates.bulkApply job payload is not valid');
    const payload = parsed.data;
    const tenant = await deps.tenants.get(job.clientKey);
    if (!tenant) return { released: [], next: null, pausedUntil: null, reason: 'Bosun is no longer installed in this workspace' };
    const stored = await deps.templates.get(job.clientKey, payload.template);
    if (!stored) return { released: [], next: null, pausedUntil: null, reason: `There is no template called ${payload.template} any more` };
    const workspace = tenant.workspaceSlug ?? tenant.workspaceUuid ?? '';
    const bindings = new Map((await deps.templates.listBindings(job.clientKey)).map((b) => [b.fullName, b]));
    const released: TemplateBatchResult['released'] = [];
    let committed = 0;
    const mayRelease = await loadAutomationLane(deps.budget.store, deps.budget.policy, job.clientKey, deps.now());
    for (let i = payload.from; i < payload.repos.length; i++) {
      const repo = payload.repos[i] as string;
      const cost = estimateApplyCost(stored.template, bindings.get(`${workspace}/${repo}`) ?? null);
      const decision = mayRelease(committed + cost);
      if (!decision.ok) {
        const next = await enqueueTemplateBatch(deps.queue, job.clientKey, { ...payload, from: i }, decision.retryAt);
        deps.logger.info('A bulk template apply waits for the rate budget', { clientKey: job.clientKey, batchKey: payload.batchKey, left: payload.repos.length - i, until: decision.retryAt.toISOString() });
        return { released, next: next.id, pausedUntil: decision.retryAt.toISOString(), reason: decision.reason };
      }
      const { jobId } = await enqueueAgentExecution(deps.queue, job.clientKey, {
        plan: { summary: `Apply template ${payload.template} to ${repo}`, source: 'button', steps: [{ tool: 'repository.applyTemplate', input: { workspace, repo, template: payload.template } }] },
        actor: payload.actor,
        idempotencyKey: toRepoApplyKey(payload.batchKey, repo),
        confirmed: true,
        trigger: { kind: TEMPLATE_BATCH_TRIGGER, ref: payload.batchKey },
      });
      committed += cost;
      released.push({ repo, jobId });
    }
    return { released, next: null, pausedUntil: null, reason: null };
  };
  return { handlers: { [TEMPLATE_BATCH_JOB]: handler } };
}

/** Where a batch stands: its runs followed from the first, each released repository's apply job. */
export async function loadTemplateBatch(queue: JobQueue, clientKey: string, firstJobId: string): Promise<{
  payload: TemplateBatchPayload;
  released: Map<string, Job | null>;
  pausedUntil: string | null;
  reason: string | null;
} | null> {
  let job = await queue.get(clientKey, firstJobId);
  if (!job || job.type !== TEMPLATE_BATCH_JOB) return null;
  const first = templateBatchPayloadSchema.safeParse(job.payload);
  if (!first.success) return null;
  const released = new Map<string, Job | null>();
  let pausedUntil: string | null = null;
  let reason: string | null = null;
  // A batch of 500 repositories pauses at most once per repository.
  for (let hops = 0; job && hops <= 500; hops++) {
    const result = job.state === 'succeeded' ? templateBatchResultSchema.safeParse(job.result) : null;
    if (!result?.success) {
      if (job.state === 'dead') reason = job.lastError;
      break;
    }
    for (const r of result.data.released) {
      const applyJob = await queue.get(clientKey, r.jobId);
      released.set(r.repo, applyJob && applyJob.type === AGENT_EXECUTE_JOB ? applyJob : null);
    }
    pausedUntil = result.data.pausedUntil;
    reason = result.data.reason;
    if (!result.data.next) break;
    job = await queue.get(clientKey, result.data.next);
    // The next run has started: the pause is over.
    if (job && job.state !== 'queued') pausedUntil = null;
  }
  return { payload: first.data, released, pausedUntil, reason };
}
