import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedBody, newInstallation, postInstalled, signInbound, unsignedToken } from '../../helpers/fake-host';
import { createPeriodAlignedClock } from '../../helpers/period-aligned-clock';
import { startBosun, type RunningBosun } from '../../helpers/start-bosun';
import { testDatabaseKinds } from '../../helpers/test-databases';
import { toCommentJobPayload } from '../jobs/handlers/handler-harness';

describe.each(testDatabaseKinds())('Connect lifecycle (%s)', (kind) => {
  let bosun: RunningBosun;
  let appKey: string;
  let clock: ReturnType<typeof createPeriodAlignedClock>;
  beforeAll(async () => {
    clock = createPeriodAlignedClock(60_000);
    bosun = await startBosun({ database: kind, now: clock.now });
    appKey = bosun.services.deps.descriptor.key;
  });
  afterAll(async () => bosun.close());

  const sign = (clientKey: string, secret: string, path = '/connect/installed', extra: Partial<Parameters<typeof signInbound>[0]> = {}) =>
    signInbound({ clientKey, secret, method: 'POST', url: path, ...extra });

  it('stores a first install signed with the secret it carries, secret sealed at rest', async () => {
    const inst = newInstallation(appKey);
    const res = await postInstalled(bosun.url, installedBody(appKey, inst), sign(inst.clientKey, inst.sharedSecret));
    expect(res.status).toBe(204);
    const tenant = await bosun.services.deps.tenants.getWithSecret(inst.clientKey);
    expect(tenant).toMatchObject({ clientKey: inst.clientKey, sharedSecret: inst.sharedSecret, workspaceUuid: inst.workspaceUuid, workspaceSlug: 'acme', installedByAccountId: '557058:alice' });
    const [rows] = await bosun.services.db.sequelize.query('SELECT shared_secret_sealed FROM tenants WHERE client_key = ?', { replacements: [inst.clientKey] });
    expect(JSON.stringify(rows)).not.toContain(inst.sharedSecret);
    if (kind === 'sqlite') {
      const file = bosun.database.url.slice('sqlite:'.length);
      await bosun.services.db.sequelize.query('PRAGMA wal_checkpoint(FULL)');
      expect(readFileSync(file).includes(Buffer.from(inst.sharedSecret))).toBe(false);
    }
    expect(bosun.logLines.join('\n')).not.toContain(inst.sharedSecret);
  });

  it('an install queues its first mirror sync under the scheduler’s period key, so the scheduler adds none in that period', async () => {
    const inst = newInstallation(appKey);
    expect((await postInstalled(bosun.url, installedBody(appKey, inst), sign(inst.clientKey, inst.sharedSecret))).status).toBe(204);
    const period = clock.periodKey();
    const syncs = async () => (await bosun.services.db.models.Job.findAll({ where: { clientKey: inst.clientKey, type: 'mirror.sync' }, raw: true })).map((j) => [j.dedupeKey, JSON.parse(j.payload) as unknown]);
    const first = [`schedule:mirror.sync:${period}`, { periodStart: new Date(period * 60_000).toISOString() }];
    expect(await syncs()).toEqual([first]);
    await bosun.services.scheduler.tick();
    expect(await syncs()).toEqual([first]);
    expect(clock.periodKey(), 'the test ran past the period its clock was aligned to').toBe(period);
  });

  it('refuses an unsigned install, an alg:none install and one signed with another secret', async () => {
    const inst = newInstallation(appKey);
    const body = installedBody(appKey, inst);
    const unsigned = await postInstalled(bosun.url, body, null);
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe('JWT_MISSING');
    const none = await postInstalled(bosun.url, body, unsignedToken({ iss: inst.clientKey, exp: 9999999999, qsh: 'x' }));
    expect(none.status).toBe(401);
    const wrong = await postInstalled(bosun.url, body, sign(inst.clientKey, 'another-secret-entirely-1234'));
    expect(wrong.status).toBe(401);
    expect(await bosun.services.deps.tenants.get(inst.clientKey)).toBeNull();
  });

  it('a reinstall that changes the secret must be signed with the old one', async () => {
    const inst = newInstallation(appKey);
    expect((await postInstalled(bosun.url, installedBody(appKey, inst), sign(inst.clientKey, inst.sharedSecret))).status).toBe(204);
    const first = await bosun.services.deps.tenants.get(inst.clientKey);
    const rotated = { ...inst, sharedSecret: 'rotated-secret-value-0123456789' };
    const byNew = await postInstalled(bosun.url, installedBody(appKey, rotated), sign(inst.clientKey, rotated.sharedSecret));
    expect(byNew.status).toBe(401);
    expect((await bosun.services.deps.tenants.getWithSecret(inst.clientKey))?.sharedSecret).toBe(inst.sharedSecret);
    const byOld = await postInstalled(bosun.url, installedBody(appKey, rotated), sign(inst.clientKey, inst.sharedSecret));
    expect(byOld.status).toBe(204);
    const after = await bosun.services.deps.tenants.getWithSecret(inst.clientKey);
    expect(after?.sharedSecret).toBe(rotated.sharedSecret);
    expect(after?.installedAt.getTime()).toBe(first?.installedAt.getTime());
  });

  it('answers bad bodies with 400 and a message naming the field, and other apps or hosts with 400/403', async () => {
    const inst = newInstallation(appKey);
    const token = sign(inst.clientKey, inst.sharedSecret);
    const noSecret = await postInstalled(bosun.url, { ...installedBody(appKey, inst), sharedSecret: undefined }, token);
    expect(noSecret.status).toBe(400);
    expect(((await noSecret.json()) as { error: { message: string } }).error.message).toContain('sharedSecret');
    const notJson = await fetch(`${bosun.url}/connect/installed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(notJson.status).toBe(400);
    expect((await postInstalled(bosun.url, installedBody('someone-else', inst), token)).status).toBe(400);
    const evil = { ...inst, baseUrl: 'https://evil.example.com' };
    const res = await postInstalled(bosun.url, installedBody(appKey, evil), token);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('BOSUN_ALLOWED_HOSTS');
  });

  it('uninstalled is verified, refuses another tenant, then purges every row of that tenant only', async () => {
    const a = newInstallation(appKey);
    const b = newInstallation(appKey);
    for (const inst of [a, b]) {
      expect((await postInstalled(bosun.url, installedBody(appKey, inst), sign(inst.clientKey, inst.sharedSecret))).status).toBe(204);
      // A stored delivery and the job it calls for, as the webhook intake writes them.
      await bosun.services.automation.intake.accept({
        clientKey: inst.clientKey, requestUuid: `req-${inst.workspaceUuid.slice(1, 9)}`, hookUuid: null, eventKey: 'pullrequest:comment_created',
        attempt: 1, repositoryUuid: '{00000000-0000-4000-8000-000000000000}', pullrequestId: 1, commitHash: null, payload: { x: 1 }, receivedAt: new Date(),
        comment: toCommentJobPayload('unused', { raw: '/bosun status', repositoryUuid: '{00000000-0000-4000-8000-000000000000}', pullRequestId: 1 }).event,
      });
    }
    const body = { productType: 'bitbucket', eventType: 'uninstalled', key: appKey, clientKey: a.clientKey };
    const post = (token: string | null, payload: object = body) => postInstalled(bosun.url, payload, token, '/connect/uninstalled');
    expect((await post(null)).status).toBe(401);
    expect((await post(sign(a.clientKey, 'wrong-secret-wrong-secret', '/connect/uninstalled'))).status).toBe(401);
    // B, correctly signed as itself, tries to uninstall A.
    expect((await post(sign(b.clientKey, b.sharedSecret, '/connect/uninstalled'))).status).toBe(401);
    expect(await bosun.services.deps.tenants.get(a.clientKey)).not.toBeNull();

    // A job of A may still be running when the uninstall lands (its first sync, its command): what it writes
    // afterwards is dropped (storage/tenant-write-guard.ts; test/server/storage/uninstall-in-flight-writes.test.ts).
    expect((await post(sign(a.clientKey, a.sharedSecret, '/connect/uninstalled'))).status).toBe(204);
    expect(await bosun.services.deps.tenants.get(a.clientKey)).toBeNull();
    expect(await bosun.services.deps.deliveries.count(a.clientKey)).toBe(0);
    for (const model of Object.values(bosun.services.db.sequelize.models)) {
      if ('clientKey' in model.getAttributes()) expect(await model.count({ where: { clientKey: a.clientKey } })).toBe(0);
    }
    // The jobs of A (its install's first sync, the delivery's command) went with it; the other tenant's stayed.
    expect(await bosun.services.db.models.Job.count({ where: { clientKey: a.clientKey } })).toBe(0);
    const jobsOfB = await bosun.services.db.models.Job.findAll({ where: { clientKey: b.clientKey }, raw: true });
    expect(jobsOfB.map((j) => j.type).sort()).toEqual(['mirror.sync', 'webhook.comment']);
    expect(await bosun.services.deps.tenants.get(b.clientKey)).not.toBeNull();
    expect(await bosun.services.deps.deliveries.count(b.clientKey)).toBe(1);
  });
});
