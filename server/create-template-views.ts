import type { AuditStore } from './agent';
import { previewTemplateFromMirror, type RepositorySettingsMirror } from './agent/tools/repository-settings-mirror';
import type { InstallationClientFactory, TenantStore } from './host';
import { AGENT_EXECUTE_JOB, enqueueAgentExecution, type Job, type JobQueue } from './jobs';
import { enqueueTemplateBatch, loadTemplateBatch } from './create-template-batch-job';
import { DRIFT_CHECK_JOB } from './create-drift-check-job';
import { describeSettingChange } from './policies/diff-repository-settings';
import { MERGE_STRATEGIES, repositoryTemplateSchema, TEMPLATE_RESTRICTION_KINDS, TEMPLATE_SETTING_HELP, VALUED_RESTRICTION_KINDS } from './policies/repository-template';
import { TemplateBatchNotFoundError, TemplateNotFoundError } from './policies/repository-template-errors';
import type { RepositoryTemplateStore, TemplateBinding } from './policies/repository-template-store';
import type { TemplateBindingView, TemplateListView, TemplateProgressView, TemplateViews } from './web/api/template-views';

type ProgressRow = TemplateProgressView['repositories'][number];

const toBindingView = (b: TemplateBinding): TemplateBindingView => ({
  fullName: b.fullName,
  template: b.template,
  status: b.status,
  pending: b.pending.map(describeSettingChange),
  applied: b.applied.map(describeSettingChange),
  error: b.error,
  checkedAt: b.checkedAt.toISOString(),
});

/**
 * Wires repository templates (policies/), the mirror's copy of repository settings (previews read
 * only it: no Bitbucket call) and the job queue to the admin API's views (composition root: imports every side). An apply is one agent.execute job
 * per repository, so each has its own execution, audit entry and retries; the job's dedupe key
 * (the batch key and the repository) makes a repeated request queue nothing new.
 */
export function createTemplateViews(deps: {
  templates: RepositoryTemplateStore;
  tenants: TenantStore;
  clients: InstallationClientFactory;
  queue: JobQueue;
  settingsMirror: RepositorySettingsMirror;
  /** Given, a create's progress row carries its execution's report (every step, the README's too, or where it stopped). */
  audit?: Pick<AuditStore, 'get'>;
  now?: () => Date;
}): TemplateViews {
  const now = deps.now ?? (() => new Date());
  const workspaceOf = (tenant: { workspaceSlug: string | null; workspaceUuid: string | null }) => tenant.workspaceSlug ?? tenant.workspaceUuid ?? '';
  const list = async (clientKey: string): Promise<TemplateListView> => {
    const [stored, bindings] = await Promise.all([deps.templates.list(clientKey), deps.templates.listBindings(clientKey)]);
    return {
      templates: stored.map((t) => ({ template: t.template, version: t.version, updatedBy: t.updatedBy, updatedAt: t.updatedAt.toISOString() })),
      settings: Object.entries(TEMPLATE_SETTING_HELP).map(([key, help]) => ({ key, help })),
      choices: { restrictionKinds: [...TEMPLATE_RESTRICTION_KINDS], valuedKinds: [...VALUED_RESTRICTION_KINDS], mergeStrategies: [...MERGE_STRATEGIES] },
      bindings: bindings.map(toBindingView),
    };
  };
  const templateOf = async (clientKey: string, name: string) => {
    const stored = await deps.templates.get(clientKey, name);
    if (!stored) throw new TemplateNotFoundError(name);
    return stored.template;
  };
  return {
    list: (tenant) => list(tenant.clientKey),
    async save(tenant, input) {
      const parsed = repositoryTemplateSchema.safeParse(input.template);
      if (!parsed.success) return { saved: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
      await deps.templates.save(tenant.clientKey, parsed.data, input.updatedBy, input.expectedVersion);
      return { saved: true, view: await list(tenant.clientKey) };
    },
    remove: (tenant, name) => deps.templates.delete(tenant.clientKey, name),
    async preview(tenant, input) {
      const template = await templateOf(tenant.clientKey, input.template);
      const workspace = workspaceOf(tenant);
      // From the mirror only (the sweep lists settings; Bosun's applies keep them): what it does not know yet is said, and checked at apply.
      const repositories = await previewTemplateFromMirror(deps.settingsMirror, tenant.clientKey, template, input.repos.map((repo) => `${workspace}/${repo}`));
      return { template: template.name, repositories };
    },
    async apply(tenant, input) {
      await templateOf(tenant.clientKey, input.template);
      // One batch job releases the repositories' applies as the rate budget allows (create-template-batch-job.ts).
      const batch = await enqueueTemplateBatch(deps.queue, tenant.clientKey, { template: input.template, repos: input.repos, batchKey: input.batchKey, actor: input.actor, from: 0 });
      return { template: input.template, batchId: batch.id, repos: input.repos };
    },
    async createRepository(tenant, input) {
      await templateOf(tenant.clientKey, input.template);
      const workspace = workspaceOf(tenant);
      const { jobId } = await enqueueAgentExecution(deps.queue, tenant.clientKey, {
        plan: {
          summary: `Create repository ${input.repo} from template ${input.template}`,
          source: 'button',
          steps: [{ tool: 'repository.createFromTemplate', input: { workspace, repo: input.repo, template: input.template, ...(input.projectKey ? { projectKey: input.projectKey } : {}) } }],
        },
        actor: input.actor,
        idempotencyKey: `template-create:${input.requestKey}`,
        confirmed: true,
        trigger: { kind: 'admin-settings', ref: `create:${input.repo}` },
      });
      return { template: input.template, jobs: [{ repo: input.repo, jobId }] };
    },
    async progress(tenant, input) {
      const workspace = workspaceOf(tenant);
      const toRow = async (repo: string, job: Job | null): Promise<ProgressRow> => {
        if (!job) return { repo, state: 'remaining', message: null };
        if (job.state === 'succeeded') {
          const binding = await deps.templates.getBinding(tenant.clientKey, `${workspace}/${repo}`);
          const failed = !binding || binding.status === 'partial';
          return { repo, state: failed ? 'failed' : 'done', message: binding?.error ?? (binding ? null : 'The apply did not run (see the audit log).') };
        }
        if (job.state === 'failed' || job.state === 'dead') return { repo, state: 'failed', message: job.lastError };
        return { repo, state: 'remaining', message: null };
      };
      const repositories: ProgressRow[] = [];
      let pausedUntil: string | null = null;
      let reason: string | null = null;
      if (input.batchId) {
        const batch = await loadTemplateBatch(deps.queue, tenant.clientKey, input.batchId);
        if (!batch) throw new TemplateBatchNotFoundError();
        for (const repo of batch.payload.repos) repositories.push(await toRow(repo, batch.released.get(repo) ?? null));
        pausedUntil = batch.pausedUntil;
        reason = batch.reason;
      }
      for (const jobId of input.jobIds) {
        const job = await deps.queue.get(tenant.clientKey, jobId);
        if (!job || job.type !== AGENT_EXECUTE_JOB) continue;
        const step = (job.payload as { plan?: { steps?: Array<{ input?: { repo?: unknown } }> } }).plan?.steps?.[0];
        const row = await toRow(typeof step?.input?.repo === 'string' ? step.input.repo : '(unknown)', job);
        const auditId = job.state === 'succeeded' ? (job.result as { auditId?: unknown } | null)?.auditId : undefined;
        const entry = deps.audit && typeof auditId === 'number' ? await deps.audit.get(tenant.clientKey, auditId) : null;
        repositories.push(entry ? { ...row, state: entry.outcome === 'succeeded' && row.state === 'done' ? 'done' : 'failed', message: entry.message } : row);
      }
      const count = (s: string) => repositories.filter((r) => r.state === s).length;
      return { done: count('done'), failed: count('failed'), remaining: count('remaining'), pausedUntil, reason, repositories };
    },
    async checkDriftNow(tenant) {
      // Clicks within the same 15 s share one check: it reads every bound repository from Bitbucket.
      const { job } = await deps.queue.enqueue({ clientKey: tenant.clientKey, type: DRIFT_CHECK_JOB, payload: {}, dedupeKey: `drift-check:now:${Math.floor(now().getTime() / 15_000)}` });
      return { jobId: job.id };
    },
    async getDriftCheck(tenant, jobId) {
      const job = await deps.queue.get(tenant.clientKey, jobId);
      if (!job || job.type !== DRIFT_CHECK_JOB) return null;
      const result = (job.result ?? {}) as { checked?: unknown; drifted?: unknown };
      const num = (v: unknown) => (typeof v === 'number' ? v : null);
      if (job.state === 'succeeded') return { state: 'done', checked: num(result.checked), drifted: num(result.drifted), message: null };
      if (job.state === 'failed' || job.state === 'dead') return { state: 'failed', checked: null, drifted: null, message: job.lastError };
      return { state: job.state === 'running' ? 'running' : 'queued', checked: null, drifted: null, message: null };
    },
  };
}
