import { checkRepositoryDrift } from './agent/tools/check-repository-drift';
import type { RepositorySettingsMirror } from './agent/tools/repository-settings-mirror';
import type { InstallationClientFactory, TenantStore } from './host';
import type { JobHandler, RecurringJob } from './jobs';
import type { Logger } from './log';
import type { RepositoryTemplateStore } from './policies/repository-template-store';

export const DRIFT_CHECK_JOB = 'templates.driftCheck';

/**
 * The scheduled drift check: every few hours, per tenant, each repository that follows a template
 * is compared with it and its binding records what differs (the admin page's drift list). It reads
 * Bitbucket (and keeps what it read in the mirror, for previews) and changes nothing there, so it needs no plan, confirmation or audit entry; fixing
 * drift is an apply, which has all three.
 */
export function createDriftCheckJob(deps: { templates: RepositoryTemplateStore; tenants: TenantStore; clients: InstallationClientFactory; now: () => Date; logger: Logger; everyMs?: number; settingsMirror?: RepositorySettingsMirror }): {
  recurring: RecurringJob;
  handlers: Record<string, JobHandler>;
} {
  const handler: JobHandler = async (job) => {
    const tenant = await deps.tenants.getWithSecret(job.clientKey);
    if (!tenant) return { checked: 0, drifted: 0 };
    // Most tenants have no template: no Bitbucket call for them.
    if ((await deps.templates.listBindings(job.clientKey)).length === 0) return { checked: 0, drifted: 0 };
    const report = await checkRepositoryDrift({ client: deps.clients.forTenant(tenant), templates: deps.templates, clientKey: job.clientKey, now: deps.now, ...(deps.settingsMirror ? { settingsMirror: deps.settingsMirror } : {}) });
    if (report.drifted.length > 0) deps.logger.info('Repositories differ from their templates', { clientKey: job.clientKey, drifted: report.drifted.length, checked: report.checked });
    return { checked: report.checked, drifted: report.drifted.length };
  };
  return { recurring: { type: DRIFT_CHECK_JOB, everyMs: deps.everyMs ?? 6 * 60 * 60 * 1000 }, handlers: { [DRIFT_CHECK_JOB]: handler } };
}
