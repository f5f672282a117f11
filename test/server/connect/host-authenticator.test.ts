import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { createHostAuthenticator } from '../../../server/connect/host-authenticator';
import type { TenantStore, TenantWithSecret } from '../../../server/host';
import { newInstallation, signInbound } from '../../helpers/fake-host';

const BASE_URL = 'https://bosun.example.com';
const PATH = '/webhooks/bitbucket';

/** A tenant store as the SQL one behaves: the same object while cached, a new one after a write. */
function fakeTenants(clientKey: string) {
  let current: TenantWithSecret | null = null;
  let secretReads = 0;
  const install = (secret: string) => {
    const tenant: TenantWithSecret = {
      clientKey, installId: randomBytes(8).toString('hex'), host: 'connect', appKey: 'bosun', baseUrl: 'http://localhost:4999', baseApiUrl: 'http://localhost:4999',
      workspaceUuid: null, workspaceSlug: null, workspaceName: null, installedByUuid: null, installedByAccountId: null,
      installedAt: new Date(0), updatedAt: new Date(0), sharedSecret: '',
    };
    Object.defineProperty(tenant, 'sharedSecret', { enumerable: true, get: () => ((secretReads += 1), secret) });
    current = tenant;
  };
  const store: TenantStore = {
    get: async () => current,
    getWithSecret: async (key) => (key === clientKey ? current : null),
    ensure: async () => { throw new Error('not used'); },
    purge: async () => { current = null; },
  };
  return { store, install, uninstall: () => (current = null), secretReads: () => secretReads };
}

const request = (token: string, url = PATH, method = 'POST') =>
  ({ method, originalUrl: url, query: {}, header: (name: string) => (name.toLowerCase() === 'authorization' ? `JWT ${token}` : undefined) }) as unknown as Request;

function setup() {
  const inst = newInstallation('bosun');
  const tenants = fakeTenants(inst.clientKey);
  tenants.install(inst.sharedSecret);
  let nowMs = Date.now();
  const auth = createHostAuthenticator({ tenants: tenants.store, baseUrl: BASE_URL, sessionKey: randomBytes(32), now: () => new Date(nowMs) });
  const sign = (secret = inst.sharedSecret, opts: { ttlSeconds?: number } = {}) =>
    signInbound({ clientKey: inst.clientKey, secret, method: 'POST', url: PATH, nowSeconds: Math.floor(nowMs / 1000), ...opts });
  return { inst, tenants, auth, sign, advance: (seconds: number) => (nowMs += seconds * 1000) };
}

const codeOf = async (p: Promise<unknown>) => p.then(() => 'accepted', (err: { code?: string }) => err.code);

describe('Connect host authenticator: a token verified before', () => {
  it('is not signed again for the next requests of the same installation (its secret is not read again)', async () => {
    const { auth, sign, tenants, inst } = setup();
    const token = sign();
    await auth.verifyHostRequest(request(token));
    const readsForFirst = tenants.secretReads();
    expect(readsForFirst).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const { tenant } = await auth.verifyHostRequest(request(token));
      expect(tenant.clientKey).toBe(inst.clientKey);
      expect(tenant).not.toHaveProperty('sharedSecret');
    }
    expect(tenants.secretReads()).toBe(readsForFirst);
  });

  it('is verified again once the installation changed: a reinstall with a new secret refuses it', async () => {
    const { auth, sign, tenants } = setup();
    const token = sign();
    await auth.verifyHostRequest(request(token));
    tenants.install(randomBytes(24).toString('base64url'));
    expect(await codeOf(auth.verifyHostRequest(request(token)))).toBe('JWT_SIGNATURE');
  });

  it('is refused once the installation is gone', async () => {
    const { auth, sign, tenants } = setup();
    const token = sign();
    await auth.verifyHostRequest(request(token));
    tenants.uninstall();
    expect(await codeOf(auth.verifyHostRequest(request(token)))).toBe('JWT_UNKNOWN_ISSUER');
  });

  it('still expires, and still must match the URL it was signed for', async () => {
    const { auth, sign, advance } = setup();
    const token = sign(undefined, { ttlSeconds: 60 });
    await auth.verifyHostRequest(request(token));
    expect(await codeOf(auth.verifyHostRequest(request(token, '/webhooks/other')))).toBe('JWT_QSH');
    advance(120);
    expect(await codeOf(auth.verifyHostRequest(request(token)))).toBe('JWT_EXPIRED');
  });

  it('does not vouch for a token signed with another secret for the same issuer', async () => {
    const { auth, sign } = setup();
    await auth.verifyHostRequest(request(sign()));
    expect(await codeOf(auth.verifyHostRequest(request(sign('not-the-secret-0123456789'))))).toBe('JWT_SIGNATURE');
  });

  it("accepts a token signed with the secret another instance's reinstall stored while this one still caches the old", async () => {
    const inst = newInstallation('bosun');
    const cached = fakeTenants(inst.clientKey);
    const record = fakeTenants(inst.clientKey);
    cached.install(inst.sharedSecret);
    const rotated = randomBytes(24).toString('base64url');
    record.install(rotated);
    const freshReads: boolean[] = [];
    const store: TenantStore = {
      ...cached.store,
      getWithSecret: async (key, options) => (freshReads.push(options?.fresh === true), options?.fresh ? record.store.getWithSecret(key) : cached.store.getWithSecret(key)),
    };
    const auth = createHostAuthenticator({ tenants: store, baseUrl: BASE_URL, sessionKey: randomBytes(32), now: () => new Date() });
    const signed = (secret: string) => signInbound({ clientKey: inst.clientKey, secret, method: 'POST', url: PATH });
    await auth.verifyHostRequest(request(signed(rotated)));
    expect(freshReads).toEqual([false, true]);
    // A forged signature is still refused after the record was asked.
    expect(await codeOf(auth.verifyHostRequest(request(signed('not-the-secret-0123456789'))))).toBe('JWT_SIGNATURE');
  });
});
