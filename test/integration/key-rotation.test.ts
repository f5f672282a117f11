import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyRing, createSecretBox, loadOrCreateKeyFile } from '../../server/auth';
import { PROJECT_ROOT } from '../../server/create-services';
import { callApi, connectUser, sandboxUser, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { waitFor } from '../helpers/wait-for';

const run = promisify(execFile);

describe('key rotation (npm run rotate-keys)', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ oauth: {} });
    await connectUser(stack, 'bob');
  });
  afterAll(async () => stack.close());

  it('re-seals every secret with a new key and keeps every token and installation readable', async () => {
    const before = await loadOrCreateKeyFile(stack.bosun.dataDir, () => {});
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/cli/rotate-keys.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: 'test', BOSUN_DATA_DIR: stack.bosun.dataDir, DATABASE_URL: stack.bosun.database.url, LOG_LEVEL: 'silent' },
    });
    expect(stdout).toMatch(/1 installation secrets, 1 user connections/);
    const after = await loadOrCreateKeyFile(stack.bosun.dataDir, () => {});
    expect(after.primary.id).not.toBe(before.primary.id);
    expect(after.byId.has(before.primary.id)).toBe(true);

    const [rows] = await stack.bosun.services.db.sequelize.query('SELECT shared_secret_sealed FROM tenants');
    const [conns] = await stack.bosun.services.db.sequelize.query('SELECT access_token_sealed, refresh_token_sealed FROM user_connections');
    const box = createSecretBox(after);
    for (const r of rows as Array<{ shared_secret_sealed: string }>) expect(box.keyIdOf(r.shared_secret_sealed)).toBe(after.primary.id);
    for (const c of conns as Array<{ access_token_sealed: string; refresh_token_sealed: string }>) {
      expect(box.keyIdOf(c.access_token_sealed)).toBe(after.primary.id);
      expect(box.keyIdOf(c.refresh_token_sealed)).toBe(after.primary.id);
    }
    // The new key alone opens everything (the old one could now be retired).
    const onlyNew = createSecretBox(createKeyRing([{ id: after.primary.id, key: after.primary.key }]));
    const tenant = (rows as Array<{ shared_secret_sealed: string }>)[0]!;
    expect(onlyNew.open(tenant.shared_secret_sealed, `tenants:${stack.installation.clientKey}:shared_secret`)).toBe(stack.installation.sharedSecret);

    // The Bosun that was running during the rotation picks up the new key by itself.
    const web = stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
    const approve = await callApi(stack, sessionFor(stack, 'bob', 'pr-panel'), 'POST', '/api/pr-panel/approve', { repoUuid: web.uuid, prId: 2, idempotencyKey: randomUUID() });
    expect(approve.status, JSON.stringify(approve.json)).toBe(202);
    const bob = sandboxUser(stack, 'bob');
    await waitFor(() => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === web.uuid && p.id === 2)?.participants.some((p) => p.userUuid === bob.uuid && p.approved), 'the approval as Bob');
    // And so does a process started afterwards.
    expect(await startStackLikeRestart(stack)).toBe(200);
  });
});

/** A new Bosun process reads Bob's token with the key file as it is now. */
async function startStackLikeRestart(stack: RunningStack): Promise<number> {
  const { createServices } = await import('../../server/create-services');
  const { createLogger } = await import('../../server/log');
  const services = await createServices(stack.bosun.config, createLogger({ level: 'silent' }), { schema: stack.bosun.database.schema });
  try {
    const bob = sandboxUser(stack, 'bob');
    const token = await services.deps.vault.getAccessToken({ clientKey: stack.installation.clientKey }, bob.uuid);
    const res = await fetch(`${stack.sandboxUrl}/2.0/user`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await res.json()) as { uuid: string }).uuid).toBe(bob.uuid);
    const view = await callApi(stack, sessionFor(stack, 'bob'), 'GET', '/api/personal-settings');
    expect(view.json.connection.status).toBe('connected');
    return res.status;
  } finally {
    await services.close();
  }
}
