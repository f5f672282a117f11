import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../server/create-services';
import { ForgeAppTokenPendingError } from '../../server/forge';
import { createLogger } from '../../server/log';
import { startBosun, type RunningBosun } from '../helpers/start-bosun';
import { testDatabaseKinds } from '../helpers/test-databases';

const APP_ID = 'ari:cloud:ecosystem::app/5e1f0000-0000-4000-8000-00000000a7a7';

/** A Forge-shaped app system token: a JWT whose exp is `inSeconds` from now. */
const appToken = (inSeconds: number, tag: string) =>
  new SignJWT({ tag })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(Math.floor(Date.now() / 1000) + inSeconds)
    .sign(new TextEncoder().encode(`forge-system-token-key-${tag}-0123456789abcdef`));

/**
 * Two Bosun instances on one database (A with its HTTP server, B from createServices over the same
 * database and key file): the app token Forge brought to one is what the other acts with.
 */
describe.each(testDatabaseKinds())('Forge app tokens across instances (%s)', (kind) => {
  let a: RunningBosun;
  let b: Services;
  let bitbucket: http.Server;
  const seenAuth: string[] = [];
  let apiUrl = '';

  beforeAll(async () => {
    // Stands in for Bitbucket: records the Authorization each installation client call carries.
    bitbucket = http.createServer((req, res) => {
      seenAuth.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'user', uuid: '{a7a70000-0000-4000-8000-000000000001}', display_name: 'Bosun', account_id: '557058:bosun', nickname: 'bosun' }));
    });
    await new Promise<void>((resolve) => bitbucket.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(bitbucket.address() as AddressInfo).port}`;
    a = await startBosun({ database: kind, worker: false, env: { BOSUN_FORGE_APP_ID: APP_ID, BOSUN_FORGE_JWKS_URL: `${apiUrl}/jwks` } });
    b = await createServices(a.config, createLogger({ level: 'warn', write: () => {} }), { ...(a.database.schema ? { schema: a.database.schema } : {}) });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    if (bitbucket) await new Promise<void>((resolve) => bitbucket.close(() => resolve()));
  });

  const installForge = async (services: Services, installationId: string) =>
    services.deps.tenants.ensure(
      {
        clientKey: installationId, host: 'forge', appKey: APP_ID, sharedSecret: 'never-used-by-forge-0123456789', baseUrl: apiUrl, baseApiUrl: apiUrl,
        workspaceUuid: '{a7a70000-0000-4000-8000-0000000000aa}', workspaceSlug: null, workspaceName: null, installedByUuid: null, installedByAccountId: null,
      },
      new Date(),
    );

  it("a token brought to instance A is the one instance B's installation client sends", async () => {
    const tenant = await installForge(a.services, 'forge-inst-shared');
    const token = await appToken(3600, 'shared');
    await a.services.deps.forge!.tokens.remember(tenant.clientKey, token);
    const tenantOnB = await b.deps.tenants.getWithSecret(tenant.clientKey);
    expect(await b.deps.forge!.tokens.get(tenant.clientKey)).toBe(token);
    seenAuth.length = 0;
    await b.deps.clients.forTenant(tenantOnB!).users.getCurrent();
    expect(seenAuth).toEqual([`Bearer ${token}`]);
  });

  it('the sealed column holds no plaintext token, and the row is bound to its installation', async () => {
    const token = await appToken(3600, 'sealed');
    await installForge(a.services, 'forge-inst-sealed');
    await a.services.deps.forge!.tokens.remember('forge-inst-sealed', token);
    const [rows] = await a.services.db.sequelize.query("SELECT client_key, token_sealed FROM forge_app_tokens WHERE client_key = 'forge-inst-sealed'");
    const row = (rows as Array<{ client_key: string; token_sealed: string }>)[0]!;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(row.token_sealed.startsWith('v1.')).toBe(true);
    for (const part of [token, header, payload, signature]) expect(row.token_sealed).not.toContain(part);
    // Moved onto another installation's row, the ciphertext does not open there (bound to its row): no token.
    await installForge(a.services, 'forge-inst-other');
    await a.services.db.sequelize.query('INSERT INTO forge_app_tokens (client_key, token_sealed, expires_at, updated_at) VALUES (:k, :s, :e, :u)', {
      replacements: { k: 'forge-inst-other', s: row.token_sealed, e: new Date(Date.now() + 3_600_000), u: new Date() },
    });
    expect(await b.deps.forge!.tokens.get('forge-inst-other')).toBeNull();
    expect(await b.deps.forge!.tokens.get('forge-inst-sealed')).toBe(token);
  });

  it('the newest token wins: an older one arriving after it does not replace it', async () => {
    const tenant = await installForge(a.services, 'forge-inst-newest');
    const newer = await appToken(3600, 'newer');
    const older = await appToken(1800, 'older');
    await a.services.deps.forge!.tokens.remember(tenant.clientKey, newer);
    await b.deps.forge!.tokens.remember(tenant.clientKey, older);
    const [rows] = await a.services.db.sequelize.query("SELECT token_sealed FROM forge_app_tokens WHERE client_key = 'forge-inst-newest'");
    expect(rows).toHaveLength(1);
    // A third instance's view: only the store (A and B each hold their own copy in memory).
    const c = await createServices(a.config, createLogger({ level: 'warn', write: () => {} }), { ...(a.database.schema ? { schema: a.database.schema } : {}) });
    try {
      expect(await c.deps.forge!.tokens.get(tenant.clientKey)).toBe(newer);
    } finally {
      await c.close();
    }
  });

  it('an expired token is not used, by either instance', async () => {
    const tenant = await installForge(a.services, 'forge-inst-expiring');
    // Still valid for 2 s: inside the 5 s margin a caller asks for, so nobody acts with it.
    await a.services.deps.forge!.tokens.remember(tenant.clientKey, await appToken(2, 'expiring'));
    expect(await b.deps.forge!.tokens.get(tenant.clientKey)).toBeNull();
    expect(await a.services.deps.forge!.tokens.get(tenant.clientKey)).toBeNull();
    // Already past its exp: not even stored.
    await a.services.deps.forge!.tokens.remember('forge-inst-past', await appToken(-60, 'past'));
    const [rows] = await a.services.db.sequelize.query("SELECT client_key FROM forge_app_tokens WHERE client_key = 'forge-inst-past'");
    expect(rows).toEqual([]);
    const expiringOnB = await b.deps.tenants.getWithSecret(tenant.clientKey);
    await expect(b.deps.clients.forTenant(expiringOnB!).users.getCurrent()).rejects.toBeInstanceOf(ForgeAppTokenPendingError);
  });

  it("uninstall purges the installation's token: no row is left and a later write for it is dropped", async () => {
    const tenant = await installForge(a.services, 'forge-inst-leaving');
    await a.services.deps.forge!.tokens.remember(tenant.clientKey, await appToken(3600, 'leaving'));
    await a.services.deps.tenants.purge(tenant.clientKey);
    const [rows] = await a.services.db.sequelize.query("SELECT client_key FROM forge_app_tokens WHERE client_key = 'forge-inst-leaving'");
    expect(rows).toEqual([]);
    // A token arriving after the uninstall (an invocation in flight) leaves no row either.
    await b.deps.forge!.tokens.remember(tenant.clientKey, await appToken(3600, 'late'));
    const [after] = await a.services.db.sequelize.query("SELECT client_key FROM forge_app_tokens WHERE client_key = 'forge-inst-leaving'");
    expect(after).toEqual([]);
  });
});
