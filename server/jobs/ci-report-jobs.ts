/**
 * CI build results: the intake (verify, validate once, enqueue; called by web/ci-intake-router.ts)
 * and the `ci.report` job that posts them as the installation (server/ci/report-ci-build.ts).
 */
import { createHash } from 'node:crypto';
import {
  ciReportPlanSchema,
  findCiIntegration,
  planCiDelivery,
  reapCiStatuses,
  reportCiBuild,
  type CiClient,
  type CiDeliveryInput,
  type CiDeliveryRecord,
  type CiIntegrationStore,
  type CiPlanDeps,
} from '../ci';
import { isBosunError } from '../errors';
import type { TenantWithSecret } from '../host';
import type { Logger } from '../log';
import { PermanentJobError } from './errors';
import type { Job, JobQueue } from './job-queue';
import type { JobHandler } from './worker';

export const CI_REPORT_JOB = 'ci.report';
/** With the queue's backoff, hours of Bitbucket being away before a status is given up. */
export const CI_REPORT_MAX_ATTEMPTS = 30;

export interface CiIntakeDeps {
  integrations: CiIntegrationStore;
  queue: JobQueue;
  tenants: { getWithSecret(clientKey: string): Promise<TenantWithSecret | null> };
  clientFor(tenant: TenantWithSecret): CiClient;
  logger: Logger;
  now: () => Date;
}

export type CiIntakeAnswer =
  | { accepted: false; ignored: string }
  | { accepted: true; jobId: string; key: string; state: string; repository: string; commit: string };

export interface CiIntake {
  /** Verifies, validates and queues one delivery; throws an error with its httpStatus when refused. */
  receive(input: CiDeliveryInput): Promise<CiIntakeAnswer>;
}

export function createCiIntake(deps: CiIntakeDeps): CiIntake {
  const planDeps: CiPlanDeps = { integrations: deps.integrations, tenants: deps.tenants, clientFor: deps.clientFor, logger: deps.logger };
  return {
    async receive(input) {
      const receivedAt = deps.now();
      let integration: { clientKey: string; id: string } | null = null;
      const record = async (entry: Omit<CiDeliveryRecord, 'receivedAt'>) => {
        if (integration) await deps.integrations.recordDelivery(integration.clientKey, integration.id, { ...entry, receivedAt });
      };
      try {
        // Found first so that even a refused delivery lands in the right integration's log.
        integration = (await findCiIntegration(deps, input)).integration;
        const planned = await planCiDelivery(planDeps, input);
        if (planned.kind === 'ignored') {
          await record({ outcome: 'ignored', reason: planned.reason, repository: null, commit: null, statusKey: null });
          return { accepted: false, ignored: planned.reason };
        }
        const { plan } = planned;
        const repository = `${plan.workspace}/${plan.repoSlug}`;
        // The same body delivered twice (a CI's retry) is one job.
        const dedupeKey = `ci:${planned.integration.id}:${createHash('sha256').update(input.rawBody).digest('hex')}`;
        const { job } = await deps.queue.enqueue({
          clientKey: planned.integration.clientKey,
          type: CI_REPORT_JOB,
          payload: plan,
          dedupeKey,
          maxAttempts: CI_REPORT_MAX_ATTEMPTS,
          priority: 1,
        });
        await record({ outcome: 'accepted', reason: `${plan.status.state} for ${plan.status.name}`, repository, commit: plan.commit, statusKey: plan.status.key });
        return { accepted: true, jobId: job.id, key: plan.status.key, state: plan.status.state, repository, commit: plan.commit };
      } catch (error) {
        const status = (error as { httpStatus?: unknown }).httpStatus;
        if (typeof status === 'number' && status < 500) {
          await record({ outcome: 'rejected', reason: (error as Error).message, repository: null, commit: null, statusKey: null }).catch((logError: unknown) =>
            deps.logger.warn('Could not log a refused CI delivery', { err: logError }),
          );
        }
        throw error;
      }
    },
  };
}

export interface CiReportHandlerDeps {
  integrations: CiIntegrationStore;
  /** The tenant's installation client (throws when Bosun is no longer installed). */
  forInstallation(clientKey: string): Promise<CiClient>;
  now: () => Date;
}

/** Thin: validates the planned payload and hands it to reportCiBuild; Bitbucket errors propagate, so the worker retries. */
export function createCiReportHandler(deps: CiReportHandlerDeps): JobHandler {
  return async (job: Job) => {
    const parsed = ciReportPlanSchema.safeParse(job.payload);
    if (!parsed.success) throw new PermanentJobError('The ci.report job payload is not valid');
    const plan = parsed.data;
    const client = await deps.forInstallation(job.clientKey);
    try {
      return await reportCiBuild({ client, store: deps.integrations, clientKey: job.clientKey, claimant: job.id, now: deps.now }, plan);
    } catch (error) {
      // ci/'s CiTargetNotFoundError, by its literal code (jobs/ does not switch on another module's classes).
      if (!isBosunError(error) || error.code !== 'CI_TARGET_NOT_FOUND') throw error;
      await deps.integrations.recordDelivery(job.clientKey, plan.integrationId, {
        outcome: 'rejected',
        reason: error.message,
        repository: `${plan.workspace}/${plan.repoSlug}`,
        commit: plan.commit,
        statusKey: plan.status.key,
        receivedAt: deps.now(),
      });
      throw new PermanentJobError(error.message);
    }
  };
}

export const CI_REAPER_JOB = 'ci.reap';

/** The scheduled reaper (per tenant): INPROGRESS statuses unheard of for longer than `maxAgeMs` become STOPPED. */
export function createCiReaperHandler(deps: CiReportHandlerDeps & { maxAgeMs: number }): JobHandler {
  return async (job: Job) => {
    const client = await deps.forInstallation(job.clientKey);
    return reapCiStatuses({ client, store: deps.integrations, clientKey: job.clientKey, now: deps.now, maxAgeMs: deps.maxAgeMs });
  };
}
