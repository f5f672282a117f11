import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteWriteGate } from '../../../server/storage/sqlite-write-gate';
import { installedBody, installFake, newInstallation, postInstalled, signInbound } from '../../helpers/fake-host';
import { startBosun, type RunningBosun } from '../../helpers/start-bosun';
import { testDatabaseKinds } from '../../helpers/test-databases';

function approvedPayload() {
  const user = { type: 'user', uuid: '{11111111-1111-4111-8111-111111111111}', account_id: '557058:t', display_name: 'T', nickname: 't' };
  return {
    actor: user,
    repository: { type: 'repository', uuid: '{77777777-7777-4777-8777-777777777777}', full_name: 'acme/web', name: 'web' },
    pullrequest: {
      type: 'pullrequest', id: 4, title: 'T', state: 'OPEN', author: user,
      source: { branch: { name: 'feature/t' }, commit: { hash: 'a1b2c3d4e5f6' } },
      destination: { branch: { name: 'main' }, commit: { hash: 'f6e5d4c3b2a1' } },
    },
    approval: { date: new Date().toISOString(), user },
  };
}

describe('the SQLite write gate', () => {
  it('runs callers one at a time, in arrival order, and lets a holder re-enter', async () => {
    const gate = createSqliteWriteGate();
    const order: string[] = [];
    let inside = 0;
    let maxInside = 0;
    const work = (name: string) =>
      gate.run(async () => {
        inside += 1;
        maxInside = Math.max(maxInside, inside);
        order.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, 2));
        // Re-entry from the same call chain must not wait for itself.
        await gate.run(async () => order.push(`${name}:nested`));
        order.push(`${name}:end`);
        inside -= 1;
      });
    await Promise.all(['a', 'b', 'c'].map(work));
    expect(maxInside).toBe(1);
    expect(order).toEqual(['a:start', 'a:nested', 'a:end', 'b:start', 'b:nested', 'b:end', 'c:start', 'c:nested', 'c:end']);
    expect(gate.waiting()).toBe(0);
  });

  it('releases the gate when the holder throws', async () => {
    const gate = createSqliteWriteGate();
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});

describe.each(testDatabaseKinds())('write paths under bursts (%s)', (kind) => {
  let bosun: RunningBosun;
  let appKey: string;
  let releaseToken: () => void = () => {};
  let tokenRequested: () => void = () => {};
  const tokenRequest = new Promise<void>((resolve) => (tokenRequested = resolve));
  beforeAll(async () => {
    // The token endpoint answers only when the test says so: a refresh stays in flight meanwhile.
    const heldFetch: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/site/oauth2/access_token')) {
        tokenRequested();
        await new Promise<void>((resolve) => (releaseToken = resolve));
        return new Response(JSON.stringify({ access_token: 'fresh', refresh_token: 'fresh-r', expires_in: 3600 }), { status: 200, headers: { 'content-type': 'application/json' } });
      }
      return fetch(input, init);
    };
    bosun = await startBosun({
      database: kind,
      fetch: heldFetch,
      env: { BOSUN_LIFECYCLE_RATE_LIMIT: '1000', BITBUCKET_OAUTH_CLIENT_ID: 'c', BITBUCKET_OAUTH_CLIENT_SECRET: 'consumer-secret-0123456789' },
    });
    appKey = bosun.services.deps.descriptor.key;
  });
  afterAll(async () => {
    releaseToken();
    await bosun.close();
  });

  it('32 concurrent first installs are all stored and answered 204, none a 5xx', async () => {
    const installs = Array.from({ length: 32 }, () => newInstallation(appKey));
    const statuses = await Promise.all(
      installs.map(async (inst) => {
        const token = signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method: 'POST', url: '/connect/installed' });
        return (await postInstalled(bosun.url, installedBody(appKey, inst), token)).status;
      }),
    );
    expect(statuses).toEqual(installs.map(() => 204));
    for (const inst of installs) expect((await bosun.services.deps.tenants.get(inst.clientKey))?.clientKey).toBe(inst.clientKey);
  });

  it('the same clientKey installed 8 times at once ends as one installation with one install id', async () => {
    const inst = newInstallation(appKey);
    const token = signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method: 'POST', url: '/connect/installed' });
    const statuses = await Promise.all(Array.from({ length: 8 }, async () => (await postInstalled(bosun.url, installedBody(appKey, inst), token)).status));
    // The first is a first install; the rest are reinstalls signed with the same (now stored) secret.
    expect(statuses).toEqual(Array(8).fill(204));
    const [rows] = await bosun.services.db.sequelize.query('SELECT install_id FROM tenants WHERE client_key = ?', { replacements: [inst.clientKey] });
    expect(rows).toHaveLength(1);
  });

  it('a token refresh waiting on Bitbucket holds no database lock: installs, webhooks and health checks go on', async () => {
    const inst = newInstallation(appKey);
    await installFake(bosun.url, appKey, inst);
    const userUuid = '{44444444-4444-4444-8444-444444444444}';
    const profile = { uuid: '{55555555-5555-4555-8555-555555555555}', accountId: '557058:y', displayName: 'Y', nickname: 'y', avatarUrl: null, email: null };
    await bosun.services.deps.vault.save({ clientKey: inst.clientKey }, userUuid, profile, { accessToken: 'old', refreshToken: 'old-r', expiresAt: new Date(Date.now() - 1000), scopes: [] });
    const refreshing = bosun.services.deps.vault.getAccessToken({ clientKey: inst.clientKey }, userUuid);
    await tokenRequest;
    // The refresh is now parked inside Bitbucket's token call until released.
    const other = newInstallation(appKey);
    await installFake(bosun.url, appKey, other);
    expect((await fetch(`${bosun.url}/healthz`)).status).toBe(200);
    const webhook = await fetch(`${bosun.url}/webhooks/bitbucket`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `JWT ${signInbound({ clientKey: other.clientKey, secret: other.sharedSecret, method: 'POST', url: '/webhooks/bitbucket' })}`,
        'x-event-key': 'pullrequest:approved',
        'x-request-uuid': '{66666666-6666-4666-8666-666666666666}',
        'x-attempt-number': '1',
      },
      body: JSON.stringify({ event: 'pullrequest:approved', data: approvedPayload() }),
    });
    expect(webhook.status).toBeLessThan(300);
    releaseToken();
    expect(await refreshing).toBe('fresh');
  });
});
