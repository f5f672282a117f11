import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJobQueue, createScheduler, createSqlJobQueue, toPeriodKey } from '../../../server/jobs';
import { createLogger } from '../../../server/log';
import { createDatabase, type Database } from '../../../server/storage';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from './open-test-database';

const logger = createLogger({ level: 'silent' });
const jobs = [{ type: 'mirror.tick', everyMs: 300_000 }];

describe('scheduler', () => {
  it('names one key per period: the same inside it, a new one after', () => {
    const a = toPeriodKey('mirror.tick', 300_000, new Date('2026-03-01T12:00:01Z'));
    const b = toPeriodKey('mirror.tick', 300_000, new Date('2026-03-01T12:04:59Z'));
    const c = toPeriodKey('mirror.tick', 300_000, new Date('2026-03-01T12:05:00Z'));
    expect(a).toEqual(b);
    expect(c.dedupeKey).not.toBe(a.dedupeKey);
    expect(a.periodStart.toISOString()).toBe('2026-03-01T12:00:00.000Z');
  });

  it('enqueues each tenant once per period, however often it ticks (memory queue)', async () => {
    let now = new Date('2026-03-01T12:00:00Z');
    const queue = createMemoryJobQueue({ now: () => now });
    const scheduler = createScheduler({ queue, jobs, listTenants: async () => ['t1', 't2'], now: () => now, logger });
    expect(await scheduler.tick()).toBe(2);
    expect(await scheduler.tick()).toBe(0);
    now = new Date('2026-03-01T12:05:00Z');
    expect(await scheduler.tick()).toBe(2);
    expect((await queue.list('t1', { limit: 10 })).map((j) => j.type)).toEqual(['mirror.tick', 'mirror.tick']);
  });
});

describe.each(testDatabaseKinds())('scheduler across instances (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  const others: Database[] = [];
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    for (let i = 0; i < 2; i++) others.push(await createDatabase({ url: opened.test.url, schema: opened.test.schema, logger }));
  });
  afterAll(async () => {
    for (const db of others) await db.close();
    await opened.close();
  });

  it('three instances ticking at once fire each tenant\'s job once per period', async () => {
    let now = new Date('2026-03-01T12:00:00Z');
    const tenants = Array.from({ length: 10 }, (_, i) => `tenant-${i}`);
    const instances = [opened.db, ...others].map((db) =>
      createScheduler({ queue: createSqlJobQueue(db, { now: () => now }), jobs, listTenants: async () => tenants, now: () => now, logger }),
    );
    const created = await Promise.all(instances.flatMap((s) => [s.tick(), s.tick()]));
    expect(created.reduce((a, b) => a + b, 0)).toBe(10);
    now = new Date('2026-03-01T12:05:30Z');
    const next = await Promise.all(instances.map((s) => s.tick()));
    expect(next.reduce((a, b) => a + b, 0)).toBe(10);
    expect(await opened.db.models.Job.count({ where: { type: 'mirror.tick' } })).toBe(20);
  });
});
