import type { ClientResolver } from '../agent';
import type { Tenant, TenantStore } from '../host';
import type { Logger } from '../log';
import type { Job } from './job-queue';
import type { JobContext, JobHandler } from './worker';

/** The installation's Bitbucket client, as the agent's client port gives it. */
export type InstallationClient = Awaited<ReturnType<ClientResolver['forInstallation']>>;

/**
 * One context per trigger (probot's Context): built once per job by {@link withTriggerContext},
 * so a handler never loads its tenant again nor makes a second installation client.
 */
export interface TriggerContext<E = undefined> {
  /** Resolved once for the whole job. */
  tenant: Tenant;
  /** How tools address the tenant: its clientKey and workspace reference (slug when known). */
  toolTenant: { clientKey: string; workspace: string };
  trigger: { kind: string; jobId: string; deliveryId: string | null };
  /** The job's child logger, carrying tenant, job and delivery ids. */
  logger: Logger;
  /** The installation's client, made on first use and reused for the rest of the job. */
  installationClient(): Promise<InstallationClient>;
  /** The trigger's event, loaded and parsed once when the job was given an event loader (undefined otherwise). */
  event: E;
}

export interface TriggerContextDeps {
  tenants: TenantStore;
  clients: ClientResolver;
  logger: Logger;
}

/** A handler that runs with its trigger's context. */
export type ContextHandler<E = undefined> = (ctx: TriggerContext<E>, job: Job, jobContext: JobContext) => Promise<unknown>;

/** Loads and parses a job's event once (e.g. the stored webhook delivery); throws a permanent error when it is unusable. */
export type EventLoader<E> = (job: Job, ctx: TriggerContext) => Promise<E>;

/** The workspace a tenant's tools address (slug when known: links read better). */
export function toToolTenant(tenant: Tenant): { clientKey: string; workspace: string } {
  return { clientKey: tenant.clientKey, workspace: tenant.workspaceSlug ?? tenant.workspaceUuid ?? '' };
}

/** Builds the context for a job, or null when its tenant is no longer installed. */
export async function createTriggerContext(deps: TriggerContextDeps, job: Job, deliveryId: string | null, logger: Logger = deps.logger): Promise<TriggerContext | null> {
  const tenant = await deps.tenants.get(job.clientKey);
  if (!tenant) return null;
  let client: Promise<InstallationClient> | null = null;
  return {
    tenant,
    toolTenant: toToolTenant(tenant),
    trigger: { kind: job.type, jobId: job.id, deliveryId },
    logger: logger.child({ tenant: tenant.clientKey, jobId: job.id, ...(deliveryId ? { deliveryId } : {}) }),
    installationClient() {
      client ??= deps.clients.forInstallation(tenant.clientKey, deliveryId ? { deliveryId } : {});
      return client;
    },
    event: undefined,
  };
}

/**
 * A job handler that builds the trigger's context once and hands it to `handle`. `onUninstalled`
 * answers for a tenant that is gone (ignored, or a permanent failure by throwing).
 */
export function withTriggerContext(
  deps: TriggerContextDeps,
  handle: ContextHandler,
  options: { deliveryIdOf?: (job: Job) => string | null; onUninstalled: (job: Job) => unknown },
): JobHandler;
/** The same, with the job's event loaded and parsed once (after the tenant) into `ctx.event`. */
export function withTriggerContext<E>(
  deps: TriggerContextDeps,
  handle: ContextHandler<E>,
  options: { deliveryIdOf?: (job: Job) => string | null; onUninstalled: (job: Job) => unknown; event: EventLoader<E> },
): JobHandler;
export function withTriggerContext<E>(
  deps: TriggerContextDeps,
  handle: ContextHandler<E>,
  options: { deliveryIdOf?: (job: Job) => string | null; onUninstalled: (job: Job) => unknown; event?: EventLoader<E> },
): JobHandler {
  return async (job, jobContext) => {
    const ctx = await createTriggerContext(deps, job, options.deliveryIdOf?.(job) ?? null, jobContext.logger);
    if (!ctx) return options.onUninstalled(job);
    const event = options.event ? await options.event(job, ctx) : undefined;
    return handle({ ...ctx, event } as TriggerContext<E>, job, jobContext);
  };
}
