import { describe, expect, it } from 'vitest';
import { createLifecycleSubscriber } from '../../server/create-lifecycle-subscriber';
import type { JobQueue } from '../../server/jobs';
import { createMemoryJobQueue, createScheduler } from '../../server/jobs';
import { createLogger } from '../../server/log';
import { createCountingTenants, toTestTenant } from './jobs/handlers/handler-harness';

const logger = createLogger({ level: 'silent' });
const firstSync = { type: 'mirror.sync', everyMs: 60_000 };

function setup(at: string) {
  let now = new Date(at);
  const queue = createMemoryJobQueue({ now: () => now });
  const tenant = toTestTenant('ck-life');
  const purged: string[] = [];
  const tenants = { ...createCountingTenants([tenant]), purge: async (clientKey: string) => void purged.push(clientKey) };
  const subscriber = createLifecycleSubscriber({ tenants, queue, firstSync, now: () => now, logger });
  const scheduler = createScheduler({ queue, jobs: [firstSync], listTenants: async () => [tenant.clientKey], now: () => now, logger });
  return { queue, tenant, purged, subscriber, scheduler, setNow: (t: string) => void (now = new Date(t)) };
}

describe('the core subscribes to host lifecycle events', () => {
  it('installed queues the first sync under the scheduler’s period key: the same period’s tick adds no second sync', async () => {
    const t = setup('2026-03-01T12:00:20Z');
    await t.subscriber({ kind: 'installed', host: 'connect', tenant: t.tenant, reinstall: false });
    const queued = await t.queue.list(t.tenant.clientKey, { limit: 10 });
    expect(queued.map((j) => [j.type, j.dedupeKey, j.payload])).toEqual([['mirror.sync', `schedule:mirror.sync:${Math.floor(Date.parse('2026-03-01T12:00:20Z') / 60_000)}`, { periodStart: '2026-03-01T12:00:00.000Z' }]]);
    expect(await t.scheduler.tick()).toBe(0);
    // A reinstall (or Forge's install event again) in the same period is the same job.
    await t.subscriber({ kind: 'installed', host: 'forge', tenant: t.tenant, reinstall: true });
    expect(await t.queue.list(t.tenant.clientKey, { limit: 10 })).toHaveLength(1);
    // The next period is the scheduler's again.
    t.setNow('2026-03-01T12:01:00Z');
    expect(await t.scheduler.tick()).toBe(1);
  });

  it('an install whose sync cannot be queued still succeeds: the scheduler queues it', async () => {
    const t = setup('2026-03-01T12:00:20Z');
    const failing: JobQueue = { ...t.queue, enqueue: async () => { throw new Error('database busy'); } };
    const subscriber = createLifecycleSubscriber({ tenants: createCountingTenants([t.tenant]), queue: failing, firstSync, now: () => new Date('2026-03-01T12:00:20Z'), logger });
    await expect(subscriber({ kind: 'installed', host: 'connect', tenant: t.tenant, reinstall: false })).resolves.toBeUndefined();
    expect(await t.scheduler.tick()).toBe(1);
  });

  it('uninstalled purges the tenant through the tenant store; upgraded changes nothing', async () => {
    const t = setup('2026-03-01T12:00:20Z');
    await t.subscriber({ kind: 'upgraded', host: 'forge', tenant: t.tenant });
    expect(await t.queue.list(t.tenant.clientKey, { limit: 10 })).toEqual([]);
    expect(t.purged).toEqual([]);
    await t.subscriber({ kind: 'uninstalled', host: 'connect', clientKey: t.tenant.clientKey });
    expect(t.purged).toEqual([t.tenant.clientKey]);
  });
});
