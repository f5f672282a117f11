import type { LifecycleListener, TenantStore } from './host';
import { toScheduledJob, type JobQueue, type RecurringJob } from './jobs';
import type { Logger } from './log';

/**
 * The core's answer to host lifecycle events (composition root: hosts only tell, the core decides):
 * installed → this period's first mirror sync, under the scheduler's own dedupe key, so the
 * scheduled sync of the same period and the install's are one job; uninstalled → the tenant's purge.
 */
export function createLifecycleSubscriber(deps: {
  tenants: TenantStore;
  queue: JobQueue;
  /** The recurring job that syncs the mirror (the install starts its period now rather than at the next tick). */
  firstSync: RecurringJob;
  now: () => Date;
  logger: Logger;
}): LifecycleListener {
  return async (event) => {
    switch (event.kind) {
      case 'installed': {
        try {
          await deps.queue.enqueue(toScheduledJob(deps.firstSync, event.tenant.clientKey, deps.now()));
        } catch (error) {
          // The install is recorded: the scheduler's next tick (15 s) queues the same job.
          deps.logger.warn('Could not queue the first sync on install; the scheduler will', { tenant: event.tenant.clientKey, error: error instanceof Error ? error.name : 'unknown' });
        }
        return;
      }
      case 'upgraded':
        // Nothing to do yet: the installation's record was refreshed by the host.
        return;
      case 'uninstalled':
        await deps.tenants.purge(event.clientKey);
        return;
    }
  };
}
