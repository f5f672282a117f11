import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyRing, createSecretBox } from '../../../server/auth';
import type { CiIntegrationStore, CiReportedRecord } from '../../../server/ci';
import { createSqlCiIntegrationStore } from '../../../server/storage/sql-ci-integration-store';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { openTestDatabase, type OpenedTestDatabase } from '../jobs/open-test-database';

describe.each(testDatabaseKinds())('CI integrations in SQL (%s)', (kind) => {
  let opened: OpenedTestDatabase;
  let store: CiIntegrationStore;
  let clock = new Date('2026-12-01T10:00:00Z');
  const box = createSecretBox(createKeyRing([{ id: 'k1', key: randomBytes(32) }]));
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    store = createSqlCiIntegrationStore(opened.db, box, () => clock);
  });
  afterAll(async () => opened.close());

  it('keeps the secret only sealed, opens it for the intake, and rotates it', async () => {
    const { integration, secret } = await store.create({ clientKey: 'tenant-a', provider: 'jenkins', name: 'Jenkins', repository: 'acme/web', createdBy: '{alice}' });
    expect(integration).toMatchObject({ clientKey: 'tenant-a', provider: 'jenkins', repository: 'acme/web', rotatedAt: null });
    expect(secret.length).toBeGreaterThanOrEqual(40);
    const [row] = await opened.db.sequelize.query<{ secret_sealed: string }>(`SELECT secret_sealed FROM ci_integrations WHERE id = :id`, {
      replacements: { id: integration.id },
      type: QueryTypes.SELECT,
    });
    expect(row?.secret_sealed).not.toContain(secret);
    expect((await store.getForIntake(integration.id))?.secret).toBe(secret);

    clock = new Date('2026-12-01T11:00:00Z');
    const rotated = await store.rotate('tenant-a', integration.id);
    expect(rotated?.secret).not.toBe(secret);
    expect(rotated?.integration.rotatedAt?.toISOString()).toBe('2026-12-01T11:00:00.000Z');
    expect((await store.getForIntake(integration.id))?.secret).toBe(rotated?.secret);
  });

  it('scopes every admin operation by tenant', async () => {
    const { integration } = await store.create({ clientKey: 'tenant-b', provider: 'generic', name: 'Mine', repository: null, createdBy: '{bob}' });
    expect(await store.rotate('tenant-a', integration.id)).toBeNull();
    expect(await store.delete('tenant-a', integration.id)).toBe(false);
    expect((await store.list('tenant-a')).map((i) => i.id)).not.toContain(integration.id);
    expect((await store.list('tenant-b')).map((i) => i.id)).toEqual([integration.id]);
    expect(await store.delete('tenant-b', integration.id)).toBe(true);
    expect(await store.getForIntake(integration.id)).toBeNull();
  });

  it('logs deliveries newest first and keeps only the last 50', async () => {
    const { integration } = await store.create({ clientKey: 'tenant-c', provider: 'circleci', name: 'Circle', repository: null, createdBy: '{c}' });
    for (let i = 0; i < 55; i += 1) {
      await store.recordDelivery('tenant-c', integration.id, {
        outcome: i % 2 === 0 ? 'accepted' : 'rejected',
        reason: `delivery ${i}`,
        repository: 'acme/web',
        commit: null,
        statusKey: null,
        receivedAt: new Date(Date.UTC(2026, 11, 1, 10, i)),
      });
    }
    const all = await store.listDeliveries('tenant-c', integration.id, 100);
    expect(all).toHaveLength(50);
    expect(all[0]).toMatchObject({ outcome: 'accepted', reason: 'delivery 54' });
    expect(all[49]?.reason).toBe('delivery 5');
    expect(await store.listDeliveries('tenant-a', integration.id, 100)).toEqual([]);
  });

  it('saves the reported status by compare and set, so of two racing deliveries one wins', async () => {
    const ref = { clientKey: 'tenant-a', repository: 'acme/web', commit: 'a'.repeat(40), key: 'jenkins-build' };
    const record = (fingerprint: string, state: 'INPROGRESS' | 'FAILED'): CiReportedRecord => ({
      reported: { fingerprint, state: state === 'FAILED' ? 'failure' : 'running' },
      status: { key: ref.key, state, name: 'Build', url: 'https://ci.acme.test/1' },
      updatedAt: clock,
    });
    expect(await store.saveReported(ref, record('f1', 'INPROGRESS'), null)).toBe(true);
    expect(await store.saveReported(ref, record('f1-again', 'INPROGRESS'), null)).toBe(false);
    expect(await store.saveReported(ref, record('f2', 'FAILED'), 'f1')).toBe(true);
    expect(await store.saveReported(ref, record('f3', 'FAILED'), 'f1')).toBe(false);
    expect((await store.getReported(ref))?.reported.fingerprint).toBe('f2');
    expect(await store.getReported({ ...ref, clientKey: 'tenant-b' })).toBeNull();
  });

  it('lists INPROGRESS statuses older than a time for the reaper', async () => {
    const old = { clientKey: 'tenant-d', repository: 'acme/web', commit: 'b'.repeat(40), key: 'stuck' };
    const fresh = { ...old, key: 'fresh' };
    const base = { reported: { fingerprint: 'x', state: 'running' as const }, status: { key: 'k', state: 'INPROGRESS' as const, name: 'n', url: 'https://ci.acme.test' } };
    await store.saveReported(old, { ...base, updatedAt: new Date('2026-11-01T00:00:00Z') }, null);
    await store.saveReported(fresh, { ...base, updatedAt: new Date('2026-12-01T09:00:00Z') }, null);
    const stale = await store.listInProgressBefore('tenant-d', new Date('2026-11-30T00:00:00Z'), 10);
    expect(await store.listInProgressBefore('tenant-a', new Date('2026-11-30T00:00:00Z'), 10)).toEqual([]);
    expect(stale.map((s) => s.key)).toEqual(['stuck']);
  });

  it('is purged with the tenant', async () => {
    await store.create({ clientKey: 'tenant-e', provider: 'gitlab', name: 'GitLab', repository: null, createdBy: '{e}' });
    const { createTenantStore } = await import('../../../server/storage');
    const tenants = createTenantStore(opened.db, box);
    await tenants.purge('tenant-e');
    expect(await store.list('tenant-e')).toEqual([]);
  });
});
