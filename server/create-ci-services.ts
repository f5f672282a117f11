import type { SecretBox } from './auth/secret-box';
import { DEFAULT_REAP_AFTER_MS, type CiIntegrationStore } from './ci';
import type { InstallationClientFactory, TenantStore } from './host';
import { PermanentJobError, type JobHandler, type JobQueue, type RecurringJob } from './jobs';
import { CI_REAPER_JOB, CI_REPORT_JOB, createCiIntake, createCiReaperHandler, createCiReportHandler, type CiIntake } from './jobs/ci-report-jobs';
import type { Logger } from './log';
import type { Database } from './storage';
import { createSqlCiIntegrationStore } from './storage/sql-ci-integration-store';

export interface CiServices {
  integrations: CiIntegrationStore;
  /** The `ci.report` and `ci.reap` job handlers, for the worker. */
  handlers: Record<string, JobHandler>;
  /** The reaper, for the scheduler (every 10 minutes per tenant). */
  recurring: RecurringJob;
  /** The intake behind `POST /ci/{provider}/{integrationId}`, over the automation's queue. */
  createIntake(queue: JobQueue): CiIntake;
}

/** Wires CI integrations: their store (secrets sealed with the box), the intake and the reporting job. */
export function createCiServices(input: {
  db: Database;
  box: SecretBox;
  tenants: TenantStore;
  clients: InstallationClientFactory;
  logger: Logger;
  now: () => Date;
  /** How long a status may stay INPROGRESS without news before the reaper stops it (default a day). */
  reapAfterMs?: number;
}): CiServices {
  const integrations = createSqlCiIntegrationStore(input.db, input.box, input.now);
  const forInstallation = async (clientKey: string) => {
    const tenant = await input.tenants.getWithSecret(clientKey);
    if (!tenant) throw new PermanentJobError('Bosun is no longer installed in this workspace');
    return input.clients.forTenant(tenant);
  };
  return {
    integrations,
    handlers: {
      [CI_REPORT_JOB]: createCiReportHandler({ integrations, forInstallation, now: input.now }),
      [CI_REAPER_JOB]: createCiReaperHandler({ integrations, forInstallation, now: input.now, maxAgeMs: input.reapAfterMs ?? DEFAULT_REAP_AFTER_MS }),
    },
    recurring: { type: CI_REAPER_JOB, everyMs: 10 * 60 * 1000 },
    createIntake: (queue) =>
      createCiIntake({ integrations, queue, tenants: input.tenants, clientFor: (tenant) => input.clients.forTenant(tenant), logger: input.logger, now: input.now }),
  };
}
