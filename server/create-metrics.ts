import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { Op, QueryTypes } from 'sequelize';
import type { RateBudget } from './budget';
import { JOB_STATES, PULL_REQUEST_SYNC_JOB, WEBHOOK_COMMENT_JOB } from './jobs';
import type { MirrorStore } from './mirror';
import type { Database } from './storage';

/** Webhook jobs finished in this window make the lag gauge. */
const LAG_WINDOW_MS = 5 * 60_000;

/**
 * Bosun's Prometheus registry (served at /metrics). Every gauge is read from the shared database when
 * scraped, so any instance answers for all of them. Tenants are labelled by clientKey (not a secret).
 */
export function createMetricsRegistry(deps: { db: Database; budget: RateBudget; mirror: MirrorStore; now: () => Date }): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bosun_process_' });
  const { db, now } = deps;
  const q = db.sequelize;
  const tenantKeys = async () => (await db.models.Tenant.findAll({ attributes: ['clientKey'], raw: true })).map((t) => t.clientKey);

  new Gauge({
    name: 'bosun_jobs', help: 'Jobs in the queue by state', labelNames: ['state'], registers: [registry],
    async collect() {
      const rows = await q.query<{ state: string; n: number | string }>('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state', { type: QueryTypes.SELECT });
      for (const state of JOB_STATES) this.set({ state }, Number(rows.find((r) => r.state === state)?.n ?? 0));
    },
  });
  new Gauge({
    name: 'bosun_queue_depth', help: 'Queued jobs that are due now', registers: [registry],
    async collect() {
      this.set(await db.models.Job.count({ where: { state: 'queued', runAt: { [Op.lte]: now() } } }));
    },
  });
  new Gauge({
    name: 'bosun_queue_oldest_job_age_seconds', help: 'Age of the oldest due queued job (0 when none)', registers: [registry],
    async collect() {
      const oldest = await db.models.Job.min('runAt', { where: { state: 'queued', runAt: { [Op.lte]: now() } } });
      this.set(oldest ? Math.max(0, (now().getTime() - new Date(oldest as string | Date).getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'bosun_webhook_lag_seconds', help: 'Longest time from a webhook\'s arrival to its job finishing, over the last 5 minutes',
    registers: [registry],
    async collect() {
      const since = new Date(now().getTime() - LAG_WINDOW_MS);
      const rows = await db.models.Job.findAll({
        attributes: ['createdAt', 'updatedAt'],
        where: { state: 'succeeded', type: [WEBHOOK_COMMENT_JOB, PULL_REQUEST_SYNC_JOB], updatedAt: { [Op.gte]: since } },
        raw: true,
      });
      this.set(rows.reduce((max, r) => Math.max(max, (new Date(r.updatedAt).getTime() - new Date(r.createdAt).getTime()) / 1000), 0));
    },
  });
  new Gauge({
    name: 'bosun_budget_remaining', help: 'Requests left in the rolling hour per tenant and credential', labelNames: ['tenant', 'credential'], registers: [registry],
    async collect() {
      this.reset();
      for (const clientKey of await tenantKeys()) {
        const budget = await deps.budget.load(clientKey);
        if (budget.credentials.length === 0) this.set({ tenant: clientKey, credential: 'installation' }, deps.budget.policy.limitPerHour);
        for (const c of budget.credentials) this.set({ tenant: clientKey, credential: c.credential }, c.remaining);
      }
    },
  });
  new Gauge({
    name: 'bosun_mirror_staleness_seconds', help: 'Time since the mirror was last reconciled with Bitbucket (sweep, or sync when none yet)', labelNames: ['tenant'], registers: [registry],
    async collect() {
      this.reset();
      for (const clientKey of await tenantKeys()) {
        const progress = await deps.mirror.loadProgress(clientKey);
        const last = progress?.lastSweepAt ?? progress?.finishedAt ?? null;
        if (last) this.set({ tenant: clientKey }, Math.max(0, (now().getTime() - last.getTime()) / 1000));
      }
    },
  });
  new Gauge({
    name: 'bosun_mirror_sync_repositories', help: 'Initial sync progress: repositories done and in all', labelNames: ['tenant', 'of'], registers: [registry],
    async collect() {
      this.reset();
      for (const clientKey of await tenantKeys()) {
        const progress = await deps.mirror.loadProgress(clientKey);
        if (!progress) continue;
        this.set({ tenant: clientKey, of: 'done' }, progress.repositoriesDone);
        this.set({ tenant: clientKey, of: 'total' }, progress.repositoriesTotal);
      }
    },
  });
  return registry;
}
