import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox';
import { startFakeApp, verifyHostJwt, type FakeApp } from './helpers/fake-app';
import { quietLogger } from './helpers/setup';

describe('sandbox Connect lifecycle', () => {
  let app: FakeApp;
  afterEach(async () => {
    await app?.close();
  });

  it('signs `installed` with the secret it carries, and a reinstall with the OLD secret', async () => {
    app = await startFakeApp();
    const sandbox = createSandbox({ publicUrl: 'http://sandbox.test', apiBaseUrl: 'http://api.sandbox.test', logger: quietLogger });
    const inst = await sandbox.install(app.descriptorUrl);
    const ws = sandbox.state.workspaces[0]!;
    expect(inst.clientKey).toBe(`ari:cloud:bitbucket::app/${ws.uuid}/bosun-test`);
    const first = app.received.find((r) => r.path === '/installed')!;
    const body = first.body;
    expect(body).toMatchObject({
      productType: 'bitbucket', eventType: 'installed', key: 'bosun-test', clientKey: inst.clientKey,
      sharedSecret: inst.sharedSecret, baseUrl: 'http://sandbox.test', baseApiUrl: 'http://api.sandbox.test',
      principal: { type: 'team', uuid: ws.uuid, username: 'acme' },
      actor: { type: 'user', nickname: 'alice' },
    });
    const claims = verifyHostJwt(first, String(body.sharedSecret), app.baseUrl);
    expect(claims).toMatchObject({ iss: inst.clientKey, aud: [inst.clientKey] }); // atlassian-jwt normalises aud to an array on decode
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);

    const oldSecret = inst.sharedSecret;
    const again = await sandbox.install(app.descriptorUrl);
    expect(again.sharedSecret).not.toBe(oldSecret);
    const second = app.received.filter((r) => r.path === '/installed')[1]!;
    expect(second.body.sharedSecret).toBe(again.sharedSecret);
    expect(() => verifyHostJwt(second, oldSecret, app.baseUrl)).not.toThrow();
    expect(() => verifyHostJwt(second, again.sharedSecret, app.baseUrl)).toThrow();
    expect(sandbox.state.installations).toHaveLength(1);
  });

  it('signs `uninstalled` with the stored secret, omits the secret and forgets the installation', async () => {
    app = await startFakeApp();
    const sandbox = createSandbox({ publicUrl: 'http://sandbox.test', logger: quietLogger });
    const inst = await sandbox.install(app.descriptorUrl);
    await sandbox.uninstall(inst.clientKey);
    const req = app.received.find((r) => r.path === '/uninstalled')!;
    expect(req.body).toMatchObject({ eventType: 'uninstalled', clientKey: inst.clientKey });
    expect(req.body.sharedSecret).toBeUndefined();
    verifyHostJwt(req, inst.sharedSecret, app.baseUrl);
    expect(sandbox.state.installations).toHaveLength(0);
  });

  it('does not store an installation the app refused, and reports status and body', async () => {
    app = await startFakeApp();
    app.installedStatus = 401;
    const sandbox = createSandbox({ publicUrl: 'http://sandbox.test', logger: quietLogger });
    await expect(sandbox.install(app.descriptorUrl)).rejects.toThrow(/401/);
    expect(sandbox.state.installations).toHaveLength(0);
  });

  it('rejects an invalid descriptor with a message naming the field', async () => {
    app = await startFakeApp({ baseUrl: 'not a url' });
    const sandbox = createSandbox({ publicUrl: 'http://sandbox.test', logger: quietLogger });
    await expect(sandbox.install(app.descriptorUrl)).rejects.toThrow(/baseUrl/);
  });
});
