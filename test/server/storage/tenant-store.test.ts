import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/log';
import { createDatabase, createTenantStore, type Database } from '../../../server/storage';
import { createTestSecretBox, toTenantInput } from '../../helpers/tenant-fixtures';
import { tempDir } from '../../helpers/test-databases';

describe('tenant store cache', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createDatabase({ url: `sqlite:${path.join(tempDir(), 'tenants.sqlite')}`, logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => db.close());

  it('a lookup that read the row before an uninstall finished does not bring the purged installation back', async () => {
    const tenants = createTenantStore(db, createTestSecretBox(), { cacheTtlMs: 60_000 });
    await tenants.ensure(toTenantInput('race-a'), new Date());
    // Hold the next lookup's database read until the purge has committed.
    const Tenant = db.models.Tenant;
    const findByPk = Tenant.findByPk.bind(Tenant);
    let releaseRead: () => void = () => {};
    let readDone: () => void = () => {};
    const readHappened = new Promise<void>((resolve) => (readDone = resolve));
    (Tenant as unknown as { findByPk: typeof findByPk }).findByPk = (async (...args: Parameters<typeof findByPk>) => {
      const row = await findByPk(...args);
      readDone();
      await new Promise<void>((resolve) => (releaseRead = resolve));
      return row;
    }) as typeof findByPk;
    const slowLookup = tenants.get('race-a');
    await readHappened;
    (Tenant as unknown as { findByPk: typeof findByPk }).findByPk = findByPk;
    await tenants.purge('race-a');
    releaseRead();
    // The slow lookup answers what it read; what matters is that nobody sees it afterwards.
    expect((await slowLookup)?.clientKey).toBe('race-a');
    expect(await tenants.get('race-a')).toBeNull();
    expect(await tenants.getWithSecret('race-a')).toBeNull();
  });

  it('an install keeps its install id on reinstall and gets a new one after an uninstall', async () => {
    const tenants = createTenantStore(db, createTestSecretBox());
    const first = await tenants.ensure(toTenantInput('ids-a'), new Date());
    const again = await tenants.ensure({ ...toTenantInput('ids-a'), sharedSecret: 'rotated-secret-0123456789' }, new Date());
    expect(again.installId).toBe(first.installId);
    expect(again.installedAt.getTime()).toBe(first.installedAt.getTime());
    await tenants.purge('ids-a');
    const fresh = await tenants.ensure(toTenantInput('ids-a'), new Date());
    expect(fresh.installId).not.toBe(first.installId);
  });

  it("a fresh read sees another instance's reinstall (new secret) and uninstall while the cache still holds the old", async () => {
    const box = createTestSecretBox();
    const here = createTenantStore(db, box, { cacheTtlMs: 60_000 });
    const there = createTenantStore(db, box, { cacheTtlMs: 60_000 });
    await there.ensure(toTenantInput('fresh-a'), new Date());
    expect((await here.getWithSecret('fresh-a'))?.sharedSecret).toBe('secret-0123456789-abcdef');
    await there.ensure({ ...toTenantInput('fresh-a'), sharedSecret: 'rotated-secret-0123456789' }, new Date());
    expect((await here.getWithSecret('fresh-a'))?.sharedSecret).toBe('secret-0123456789-abcdef');
    expect((await here.getWithSecret('fresh-a', { fresh: true }))?.sharedSecret).toBe('rotated-secret-0123456789');
    expect((await here.getWithSecret('fresh-a'))?.sharedSecret).toBe('rotated-secret-0123456789');
    await there.purge('fresh-a');
    expect(await here.getWithSecret('fresh-a', { fresh: true })).toBeNull();
    expect(await here.getWithSecret('fresh-a')).toBeNull();
  });

  it('a tenant record says which host it came from: Connect unless the host says otherwise', async () => {
    const box = createTestSecretBox();
    const tenants = createTenantStore(db, box, { cacheTtlMs: 0 });
    expect((await tenants.ensure(toTenantInput('host-connect'), new Date())).host).toBe('connect');
    expect((await tenants.ensure({ ...toTenantInput('host-forge'), host: 'forge' }, new Date())).host).toBe('forge');
    expect((await tenants.get('host-forge'))?.host).toBe('forge');
    expect((await tenants.getWithSecret('host-connect'))?.host).toBe('connect');
    // A row written before hosts were recorded (the migration's default) reads as Connect.
    await db.sequelize.query(
      "INSERT INTO tenants (client_key, install_id, app_key, shared_secret_sealed, base_url, base_api_url, installed_at, updated_at) VALUES ('host-legacy', 'legacy-1', 'bosun', :sealed, 'http://b', 'http://b', '2026-01-01', '2026-01-01')",
      { replacements: { sealed: box.seal('legacy-secret', 'tenants:host-legacy:shared_secret') } },
    );
    expect((await tenants.get('host-legacy'))?.host).toBe('connect');
  });
});
