import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

  /** Counts the store's database reads of Tenant rows; `hold()` makes the next reads wait until released. */
  const countReads = () => {
    const Tenant = db.models.Tenant;
    const findByPk = Tenant.findByPk.bind(Tenant);
    let held: Promise<void> | null = null;
    let release: () => void = () => {};
    const probe = {
      reads: 0,
      hold() {
        held = new Promise<void>((resolve) => (release = resolve));
      },
      release() {
        held = null;
        release();
      },
      restore() {
        (Tenant as unknown as { findByPk: typeof findByPk }).findByPk = findByPk;
      },
    };
    (Tenant as unknown as { findByPk: typeof findByPk }).findByPk = (async (...args: Parameters<typeof findByPk>) => {
      probe.reads += 1;
      const row = await findByPk(...args);
      if (held) await held;
      return row;
    }) as typeof findByPk;
    return probe;
  };

  it('lookups that miss while one read of the installation is under way wait for that read instead of each reading', async () => {
    const tenants = createTenantStore(db, createTestSecretBox(), { cacheTtlMs: 60_000 });
    await tenants.ensure(toTenantInput('shared-a'), new Date());
    const probe = countReads();
    try {
      const answers = await Promise.all([...Array.from({ length: 20 }, () => tenants.get('shared-a')), tenants.getWithSecret('shared-a')]);
      expect(probe.reads).toBe(1);
      expect(new Set(answers.map((t) => t?.installId)).size).toBe(1);
      expect(answers[0]?.clientKey).toBe('shared-a');
      // A fresh read is its own, even with the entry cached.
      await tenants.getWithSecret('shared-a', { fresh: true });
      expect(probe.reads).toBe(2);
    } finally {
      probe.restore();
    }
  });

  it('in the last fifth of its TTL an entry is answered at once and renewed in the background, never answered past its TTL', async () => {
    let now = 1_000_000;
    const tenants = createTenantStore(db, createTestSecretBox(), { cacheTtlMs: 1000, nowMs: () => now });
    await tenants.ensure(toTenantInput('ahead-a'), new Date());
    const probe = countReads();
    try {
      expect((await tenants.get('ahead-a'))?.clientKey).toBe('ahead-a');
      expect(probe.reads).toBe(1);
      now += 700;
      await tenants.get('ahead-a');
      expect(probe.reads).toBe(1);
      // 850 ms into a 1000 ms entry: answered from the cache while the renewal's read is held.
      now += 150;
      probe.hold();
      const answer = await Promise.race([tenants.get('ahead-a'), new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 200))]);
      expect(answer).not.toBe('waited');
      expect((answer as { clientKey: string } | null)?.clientKey).toBe('ahead-a');
      expect(probe.reads).toBe(2);
      // Renewals do not pile up while one is under way.
      await tenants.get('ahead-a');
      expect(probe.reads).toBe(2);
      probe.release();
      // The renewal's read returned its row: what is left of it runs before the next timer.
      await new Promise((resolve) => setTimeout(resolve, 10));
      // Past the first entry's expiry, within the renewed one's: no read.
      now = 1_000_000 + 1500;
      expect((await tenants.get('ahead-a'))?.clientKey).toBe('ahead-a');
      expect(probe.reads).toBe(2);
      // Past the renewed entry's TTL with no lookup in its last fifth: the lookup waits for a read.
      now = 1_000_000 + 850 + 1000 + 1;
      probe.hold();
      let settled = false;
      const late = tenants.get('ahead-a').then((t) => ((settled = true), t));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled).toBe(false);
      probe.release();
      expect((await late)?.clientKey).toBe('ahead-a');
      expect(probe.reads).toBe(3);
    } finally {
      probe.restore();
    }
  });

  it('a renewal that finds the installation gone (uninstalled by another instance) drops the cached entry', async () => {
    let now = 2_000_000;
    const box = createTestSecretBox();
    const here = createTenantStore(db, box, { cacheTtlMs: 1000, nowMs: () => now });
    const there = createTenantStore(db, box, { cacheTtlMs: 1000 });
    await there.ensure(toTenantInput('ahead-gone'), new Date());
    expect((await here.get('ahead-gone'))?.clientKey).toBe('ahead-gone');
    await there.purge('ahead-gone');
    now += 900;
    // Still within its TTL: answered from the cache (as before), and renewed.
    expect((await here.get('ahead-gone'))?.clientKey).toBe('ahead-gone');
    await vi.waitFor(async () => expect(await here.get('ahead-gone')).toBeNull());
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
