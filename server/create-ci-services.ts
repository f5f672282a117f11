import type { SecretBox } from './auth/secret-box';
import type { CiIntegrationStore } from './ci';
import type { InstallationClientFactory, TenantStore } from './host';
import { PermanentJobError, type JobHandler, type JobQueue } from './jobs';
import { CI_REPORT_JOB, createCiIntake, createCiReportHandler, type CiIntake } from './jobs/ci-report-jobs';
import type { Logger } from './log';
import type { Database } from './storage';
import { createSqlCiIntegrationStore } from './storage/sql-ci-integration-store';

export interface CiServices {
  integrations: CiIntegrationStore;
  /** The `ci.report` job handler, for the worker. */
  handlers: Record<string, JobHandler>;
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
}): CiServices {
  const integrations = createSqlCiIntegrationStore(input.db, input.box, input.now);
  const forInstallation = async (clientKey: string) => {
    const tenant = await input.tenants.getWithSecret(clientKey);
    if (!tenant) throw new PermanentJobError('Bosun is no longer installed in this workspace');
    return input.clients.forTenant(tenant);
  };
  return {
    integrations,
    handlers: { [CI_REPORT_JOB]: createCiReportHandler({ integrations, forInstallation, now: input.now }) },
    createIntake: (queue) =>
      createCiIntake({ integrations, queue, tenants: input.tenants, clientFor: (tenant) => input.clients.forTenant(tenant), logger: input.logger, now: input.now }),
  };
}
