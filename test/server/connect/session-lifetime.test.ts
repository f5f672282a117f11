import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedBody, installFake, newInstallation, postInstalled, signInbound, type FakeInstallation } from '../../helpers/fake-host';
import { startBosun, type RunningBosun } from '../../helpers/start-bosun';

/** Sessions are minted by the page route (as the iframe gets them) and die with their installation. */
describe('iframe sessions and the installation they were minted for', () => {
  let bosun: RunningBosun;
  let appKey: string;

  beforeAll(async () => {
    bosun = await startBosun({ worker: false });
    appKey = bosun.services.deps.descriptor.key;
  });
  afterAll(async () => bosun.close());

  const openPage = async (inst: FakeInstallation): Promise<string> => {
    const url = '/pages/personal-settings?userUuid=%7B11111111-1111-4111-8111-111111111111%7D';
    const res = await fetch(`${bosun.url}${url}&jwt=${signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method: 'GET', url })}`);
    expect(res.status).toBe(200);
    const match = /<meta name="bosun-session" content="([^"]+)">/.exec(await res.text());
    if (!match?.[1]) throw new Error('the page carries no session');
    return match[1];
  };
  const callWith = async (session: string) => {
    const res = await fetch(`${bosun.url}/api/personal-settings`, { headers: { authorization: `Bearer ${session}` } });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  };
  const uninstall = async (inst: FakeInstallation) => {
    const token = signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method: 'POST', url: '/connect/uninstalled' });
    const res = await postInstalled(bosun.url, { ...installedBody(appKey, inst), eventType: 'uninstalled' }, token, '/connect/uninstalled');
    expect(res.status).toBe(204);
  };

  it('a session minted before an uninstall is refused after the same clientKey installs again', async () => {
    const first = newInstallation(appKey);
    await installFake(bosun.url, appKey, first);
    const session = await openPage(first);
    expect((await callWith(session)).status).toBe(200);

    await uninstall(first);
    expect((await callWith(session)).status).toBe(401);
    // Same clientKey, a new installation (Bitbucket sends a new shared secret).
    const again: FakeInstallation = { ...first, sharedSecret: `${first.sharedSecret}-new` };
    await installFake(bosun.url, appKey, again);

    const old = await callWith(session);
    expect(old.status).toBe(401);
    expect(old.body.error?.code).toBe('SESSION_INVALID');
    expect(old.body.error?.message).toMatch(/reinstalled|no longer installed/);
    // The new installation's pages get sessions that work.
    expect((await callWith(await openPage(again))).status).toBe(200);
  });

  it('a reinstall without an uninstall (an upgrade) keeps the sessions already handed out', async () => {
    const inst = newInstallation(appKey);
    await installFake(bosun.url, appKey, inst);
    const session = await openPage(inst);
    // A reinstall is signed with the stored secret and may carry a new one.
    const token = signInbound({ clientKey: inst.clientKey, secret: inst.sharedSecret, method: 'POST', url: '/connect/installed' });
    const res = await postInstalled(bosun.url, installedBody(appKey, { ...inst, sharedSecret: `${inst.sharedSecret}-rotated` }), token);
    expect(res.status).toBe(204);
    expect((await callWith(session)).status).toBe(200);
  });
});
