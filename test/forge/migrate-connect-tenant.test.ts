import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox, createTokenVault, loadOrCreateKeyFile, type SecretBox } from '../../server/auth';
import { ConnectMigrationError, migrateConnectTenant, toForgeTenantInput } from '../../server/forge';
import type { Tenant, TenantInput } from '../../server/host';
import { createLogger } from '../../server/log';
import { createDatabase, createSqlPolicyStore, createSqlTenantDataMover, createTenantStore, createUserConnectionStore, type Database, type TenantStore } from '../../server/storage';
import { migration0028 } from '../../server/storage/migrations/0028-forge-tenant-host';
import { createSqlCiIntegrationStore } from '../../server/storage/sql-ci-integration-store';
import { createTestDatabase, tempDir, testDatabaseKinds, type TestDatabase } from '../helpers/test-databases';

const APP_ID = 'ari:cloud:ecosystem::app/5e1f0000-0000-4000-8000-00000000c0de';
const WORKSPACE = '{a1b2c3d4-0000-4000-8000-00000000aced}';
const OTHER_WORKSPACE = '{a1b2c3d4-0000-4000-8000-0000000000ff}';
const ALICE = '{a11ce000-0000-4000-8000-000000000001}';
const logger = createLogger({ level: 'silent' });
const execFileAsync = promisify(execFile);

const connectInput = (clientKey: string, workspaceUuid = WORKSPACE): TenantInput => ({
  clientKey,
  appKey: 'bosun',
  sharedSecret: 'a-connect-shared-secret-of-enough-length',
  baseUrl: 'https://bitbucket.org',
  baseApiUrl: 'https://api.bitbucket.org',
  workspaceUuid,
  workspaceSlug: 'acme',
  workspaceName: 'Acme',
  installedByUuid: ALICE,
  installedByAccountId: null,
});
const forgeInput = (installationId: string, workspaceUuid = WORKSPACE): TenantInput =>
  toForgeTenantInput(
    { appId: APP_ID, installationId, apiBaseUrl: 'https://api.bitbucket.org', environmentId: null, moduleKey: null, workspaceUuid, accountId: null },
    { siteUrl: 'https://bitbucket.org', installerAccountId: null },
  );

/** Rows a tenant owns, over every tenant-owned table (as purge finds them). */
async function rowsOf(db: Database, clientKey: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const model of Object.values(db.sequelize.models)) {
    if (!('clientKey' in model.getAttributes())) continue;
    const n = await model.count({ where: { clientKey } });
    if (n > 0) counts[String(model.getTableName())] = n;
  }
  return counts;
}

describe.each(testDatabaseKinds())('Connect → Forge migration of a workspace (%s)', (kind) => {
  let database: TestDatabase;
  let db: Database;
  let box: SecretBox;
  let tenants: TenantStore;
  let dataDir: string;
  const now = () => new Date('2026-12-01T10:00:00Z');
  const deps = () => ({ tenants, mover: createSqlTenantDataMover(db, box), forgeAppId: APP_ID, now });
  const vault = () => createTokenVault({ connections: createUserConnectionStore(db), box, tokens: null, now, logger });

  let connect: Tenant;
  let forge: Tenant;
  let ciId = '';
  let ciSecret = '';

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    dataDir = tempDir('bosun-migrate-');
    box = createSecretBox(await loadOrCreateKeyFile(dataDir, () => undefined));
    db = await createDatabase({ url: database.url, logger, schema: database.schema });
    tenants = createTenantStore(db, box, { cacheTtlMs: 0 });
    connect = await tenants.ensure(connectInput('connect-acme'), now());
    forge = await tenants.ensure(forgeInput('ari:cloud:ecosystem::installation/0000aaaa-0000-4000-8000-000000000001'), now());
    // The Connect installation's history: a policy, a person's OAuth connection, a CI integration.
    const policies = createSqlPolicyStore(db, now);
    await policies.save(connect.clientKey, 'workspace', { stale: { remindAfterDays: 2 } }, ALICE, 0);
    await vault().save(connect, ALICE, { uuid: ALICE, accountId: '712020:alice', displayName: 'Alice', nickname: 'alice', avatarUrl: null, email: null }, {
      accessToken: 'alice-access-token',
      refreshToken: 'alice-refresh-token',
      expiresAt: new Date('2027-01-01T00:00:00Z'),
      scopes: ['account'],
    });
    const ci = await createSqlCiIntegrationStore(db, box, now).create({ clientKey: connect.clientKey, provider: 'generic', name: 'Jenkins', repository: null, createdBy: ALICE });
    ciId = ci.integration.id;
    ciSecret = ci.secret;
    // The Forge installation already saved a workspace policy of its own since it was installed.
    await policies.save(forge.clientKey, 'workspace', { stale: { remindAfterDays: 1 } }, ALICE, 0);
  });
  afterAll(async () => {
    await db?.close();
    await database?.cleanup();
  });

  it('a dry run reports what would move and changes nothing', async () => {
    const before = { connect: await rowsOf(db, connect.clientKey), forge: await rowsOf(db, forge.clientKey) };
    const result = await migrateConnectTenant(deps(), { workspaceUuid: WORKSPACE, dryRun: true });
    expect(result).toMatchObject({ outcome: 'dry-run', from: connect.clientKey, to: forge.clientKey });
    if (result.outcome !== 'dry-run') throw new Error('not a dry run');
    expect(result.report.moved).toMatchObject({ policies: 1, user_connections: 1, ci_integrations: 1 });
    expect(result.report.replaced).toEqual({ policies: 1 });
    expect(result.report.resealed).toBe(3);
    expect({ connect: await rowsOf(db, connect.clientKey), forge: await rowsOf(db, forge.clientKey) }).toEqual(before);
    expect(await tenants.get(connect.clientKey)).not.toBeNull();
  });

  it('refuses what is not a Connect → Forge move of one workspace', async () => {
    const stranger = await tenants.ensure(forgeInput('ari:cloud:ecosystem::installation/0000bbbb-0000-4000-8000-000000000002', OTHER_WORKSPACE), now());
    await expect(migrateConnectTenant(deps(), { connectClientKey: connect.clientKey, forgeInstallationId: stranger.clientKey })).rejects.toMatchObject({ code: 'NOT_THE_SAME_WORKSPACE' });
    await expect(migrateConnectTenant(deps(), { connectClientKey: forge.clientKey, forgeInstallationId: connect.clientKey })).rejects.toBeInstanceOf(ConnectMigrationError);
    await expect(migrateConnectTenant(deps(), { workspaceUuid: '{a1b2c3d4-0000-4000-8000-0000000000ee}' })).rejects.toMatchObject({ code: 'NO_FORGE_INSTALLATION' });
    await tenants.purge(stranger.clientKey);
  });

  it('moves every row to the Forge installation, re-sealed for its key, and drops the Connect installation', async () => {
    const moving = await rowsOf(db, connect.clientKey);
    const result = await migrateConnectTenant(deps(), { workspaceUuid: WORKSPACE });
    expect(result).toMatchObject({ outcome: 'migrated', from: connect.clientKey, to: forge.clientKey, workspaceUuid: WORKSPACE });
    expect(await rowsOf(db, connect.clientKey)).toEqual({});
    expect(await tenants.get(connect.clientKey)).toBeNull();
    const owned = await rowsOf(db, forge.clientKey);
    for (const [table, n] of Object.entries(moving)) expect(owned[table], table).toBeGreaterThanOrEqual(n);
    // The Connect policy won over the one the Forge installation saved meanwhile.
    expect((await createSqlPolicyStore(db, now).get(forge.clientKey, 'workspace'))?.layer).toEqual({ stale: { remindAfterDays: 2 } });
    // Alice's token opens under the Forge installation (its sealed context names the new key) …
    expect(await vault().getAccessToken(forge, ALICE)).toBe('alice-access-token');
    // … and no longer under the old one.
    expect(await vault().getConnection(connect.clientKey, ALICE)).toBeNull();
    const ci = await createSqlCiIntegrationStore(db, box, now).getForIntake(ciId);
    expect(ci).toMatchObject({ integration: { clientKey: forge.clientKey }, secret: ciSecret });
    // The Forge installation's own record is untouched (its host, its secret).
    expect(await tenants.get(forge.clientKey)).toMatchObject({ host: 'forge', appKey: APP_ID });
  });

  it('is idempotent: running again, by workspace or by the Connect key, answers that it is done', async () => {
    const byWorkspace = await migrateConnectTenant(deps(), { workspaceUuid: WORKSPACE });
    expect(byWorkspace).toMatchObject({ outcome: 'already-migrated', from: connect.clientKey, to: forge.clientKey });
    const byKey = await migrateConnectTenant(deps(), { connectClientKey: connect.clientKey });
    expect(byKey).toMatchObject({ outcome: 'already-migrated', to: forge.clientKey });
    expect(await vault().getAccessToken(forge, ALICE)).toBe('alice-access-token');
  });
});

/** The CLI runs against the database in DATABASE_URL (public schema), so it is exercised on SQLite. */
describe('npm run migrate:connect-to-forge (sqlite)', () => {
  let database: TestDatabase;
  let db: Database;
  let box: SecretBox;
  let tenants: TenantStore;
  let dataDir: string;
  const now = () => new Date('2026-12-01T10:00:00Z');
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    dataDir = tempDir('bosun-migrate-cli-');
    box = createSecretBox(await loadOrCreateKeyFile(dataDir, () => undefined));
    db = await createDatabase({ url: database.url, logger });
    tenants = createTenantStore(db, box, { cacheTtlMs: 0 });
  });
  afterAll(async () => {
    await db?.close();
    await database?.cleanup();
  });

  it('migrates a workspace and reports a repeat as done', async () => {
    const other = await tenants.ensure(connectInput('connect-beta', OTHER_WORKSPACE), now());
    const target = await tenants.ensure(forgeInput('ari:cloud:ecosystem::installation/0000cccc-0000-4000-8000-000000000003', OTHER_WORKSPACE), now());
    await createSqlPolicyStore(db, now).save(other.clientKey, 'workspace', { stale: { remindAfterDays: 3 } }, ALICE, 0);
    const env = { ...process.env, NODE_ENV: 'test', DATABASE_URL: database.url, BOSUN_DATA_DIR: dataDir, BOSUN_FORGE_APP_ID: APP_ID, LOG_LEVEL: 'silent' };
    const cli = (args: string[]) => execFileAsync(process.execPath, ['--import', 'tsx', path.resolve('server/cli/migrate-connect-to-forge.ts'), ...args], { env, timeout: 60_000 });
    const first = await cli(['--workspace', OTHER_WORKSPACE]);
    expect(first.stdout).toContain(`Moved connect-beta → ${target.clientKey}`);
    expect(first.stdout).toContain('policies 1');
    expect((await createSqlPolicyStore(db, now).get(target.clientKey, 'workspace'))?.layer).toEqual({ stale: { remindAfterDays: 3 } });
    const again = await cli(['--workspace', OTHER_WORKSPACE]);
    expect(again.stdout).toContain('Already migrated: connect-beta');
    await expect(cli([])).rejects.toMatchObject({ stderr: expect.stringContaining('usage: npm run migrate:connect-to-forge') });
  }, 120_000);

  it('migration 0028 marks Forge installations stored as Connect ones before the host was recorded', async () => {
    const key = 'ari:cloud:ecosystem::installation/0000dddd-0000-4000-8000-000000000004';
    await tenants.ensure({ ...forgeInput(key), host: 'connect' }, now());
    await tenants.ensure(connectInput('connect-gamma'), now());
    await migration0028.up(db.sequelize.getQueryInterface(), async (statement) => {
      await db.sequelize.query(statement);
    });
    expect((await tenants.get(key))?.host).toBe('forge');
    expect((await tenants.get('connect-gamma'))?.host).toBe('connect');
  });
});
