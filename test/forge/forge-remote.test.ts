import { createHmac } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHostJwt } from '../../sandbox/connect/sign-jwt';
import { createForgeHost, type ForgeInstallation } from '../../sandbox/forge/create-forge-host';
import { forgeRoutes } from '../../server/forge';
import { testDatabaseKinds } from '../helpers/test-databases';
import { startForgeStack, type ForgeStack } from './forge-host-stack';

const WEB_REPO = '{7eb00000-0000-4000-8000-00000000a001}';
const ALICE = '712020:a11ce000-0000-4000-8000-000000000001';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe.each(testDatabaseKinds())('Forge remote (%s)', (kind) => {
  let stack: ForgeStack;
  let inst: ForgeInstallation;
  beforeAll(async () => {
    stack = await startForgeStack(kind);
    inst = await stack.forge.install({ workspace: 'acme' });
  });
  afterAll(async () => stack?.close());

  const mergeCheck = (installation: ForgeInstallation, prId: number, o: { fit?: string; withSystemToken?: boolean } = {}) =>
    stack.forge.callEndpoint(forgeRoutes.mergeCheck, installation, { trigger: 'on-merge', repository: { uuid: WEB_REPO }, pullrequest: { id: prId } }, o);

  it('an installed event stores the installation as a tenant keyed by its installation id, with the FIT\'s API base URL', async () => {
    const tenant = await stack.tenants.get(inst.installationId);
    expect(tenant).toMatchObject({
      clientKey: inst.installationId,
      appKey: stack.forge.appId,
      baseApiUrl: stack.sandboxUrl,
      workspaceUuid: inst.workspaceUuid,
      installedByAccountId: inst.installerAccountId,
    });
  });

  describe('the FIT matrix: every bad token is 401, and only bad tokens are', () => {
    const cases: Array<[string, () => Promise<string>, string]> = [
      ['signed by another key (another Forge platform)', async () => {
        const other = await createForgeHost({ state: stack.sandbox.state, apiBaseUrl: stack.sandboxUrl, remoteUrl: stack.bosunUrl, now: () => new Date(), appId: stack.forge.appId });
        return other.signFit({ installation: inst });
      }, 'FIT_SIGNATURE'],
      ['with a claim changed after signing', async () => {
        const [h, , s] = (await stack.forge.signFit({ installation: inst })).split('.');
        const claims = decodeJwt(await stack.forge.signFit({ installation: inst }));
        return `${h}.${b64({ ...claims, principal: ALICE })}.${s}`;
      }, 'FIT_SIGNATURE'],
      ['for another app (audience)', () => stack.forge.signFit({ installation: inst, override: { aud: 'ari:cloud:ecosystem::app/someone-else' } }), 'FIT_AUDIENCE'],
      ['expired', () => stack.forge.signFit({ installation: inst, ttlSeconds: -5 }), 'FIT_EXPIRED'],
      ['from another issuer', () => stack.forge.signFit({ installation: inst, override: { iss: 'someone' } }), 'FIT_ISSUER'],
      ['without exp', () => stack.forge.signFit({ installation: inst, override: { exp: undefined } }), 'FIT_CLAIMS'],
      ['without aud', () => stack.forge.signFit({ installation: inst, override: { aud: undefined } }), 'FIT_AUDIENCE'],
      ['without iss', () => stack.forge.signFit({ installation: inst, override: { iss: undefined } }), 'FIT_ISSUER'],
      ['without the app claim', () => stack.forge.signFit({ installation: inst, override: { app: undefined } }), 'FIT_CLAIMS'],
      ['without app.installationId', async () => {
        const claims = decodeJwt(await stack.forge.signFit({ installation: inst }));
        const { installationId: _gone, ...app } = claims.app as Record<string, unknown>;
        return stack.forge.signFit({ installation: inst, override: { app } });
      }, 'FIT_CLAIMS'],
      ['unsigned (alg none)', async () => {
        const claims = decodeJwt(await stack.forge.signFit({ installation: inst }));
        return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      }, 'FIT_ALGORITHM'],
      ['HS256 with the public key as the secret', async () => {
        const claims = decodeJwt(await stack.forge.signFit({ installation: inst }));
        const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: stack.forge.jwks().keys[0]?.kid })}.${b64(claims)}`;
        const sig = createHmac('sha256', JSON.stringify(stack.forge.jwks().keys[0])).update(head).digest('base64url');
        return `${head}.${sig}`;
      }, 'FIT_ALGORITHM'],
      ['not a JWT at all', async () => 'not-a-token', 'FIT_MALFORMED'],
    ];
    it.each(cases)('%s', async (_name, token, code) => {
      const res = await mergeCheck(inst, 3, { fit: await token() });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ error: { code } });
    });

    it('no Authorization header is 401 FIT_MISSING', async () => {
      const res = await fetch(`${stack.bosunUrl}${forgeRoutes.mergeCheck}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'FIT_MISSING' } });
    });
  });

  describe('refusals with a valid FIT are 403, never 401', () => {
    it('a token from another installation cannot uninstall this one', async () => {
      const other = await stack.forge.install({ workspace: 'acme' });
      const res = await stack.forge.callEndpoint(forgeRoutes.lifecycle, other, { eventType: 'avi:forge:uninstalled:app', id: inst.installationId });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ error: { code: 'FORGE_OTHER_INSTALLATION' } });
      expect(await stack.tenants.get(inst.installationId)).not.toBeNull();
    });

    it('an installation Bosun never stored', async () => {
      const stranger: ForgeInstallation = { ...inst, installationId: 'ari:cloud:ecosystem::installation/00000000-0000-4000-8000-00000000dead' };
      const res = await mergeCheck(stranger, 3);
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ error: { code: 'FORGE_NOT_INSTALLED' } });
    });

    it('an invocation without the app system token', async () => {
      const res = await mergeCheck(inst, 3, { withSystemToken: false });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ error: { code: 'FORGE_NO_APP_TOKEN' } });
    });

    it('a scheduled trigger without the app system token (its only purpose is bringing one)', async () => {
      const res = await stack.forge.callEndpoint(forgeRoutes.scheduled, inst, { context: { moduleKey: 'bosun-token-refresh' } }, { withSystemToken: false });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ error: { code: 'FORGE_NO_APP_TOKEN' } });
      expect((await stack.forge.runScheduledTriggers()).map((r) => r.status)).toEqual(stack.forge.installations().map(() => 200));
    });

    it('a page call from a module Bosun has no page for', async () => {
      const res = await stack.forge.invokeRemote(inst, { moduleKey: 'someone-elses-module', accountId: ALICE, path: forgeRoutes.invoke, body: {} });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ error: { code: 'FORGE_UNKNOWN_MODULE' } });
    });
  });

  it('fetches the JWKS once and reuses it for every later token', async () => {
    const before = stack.jwksFetches();
    for (let i = 0; i < 5; i += 1) expect((await mergeCheck(inst, 3)).status).toBe(200);
    expect(stack.jwksFetches() - before).toBe(0);
    expect(stack.jwksFetches()).toBe(1);
  });

  it('a page call answers which Bosun page the module is, for whom', async () => {
    const res = await stack.forge.invokeRemote(inst, { moduleKey: 'bosun-admin-settings', accountId: ALICE, path: forgeRoutes.invoke, body: {} });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ page: 'admin-settings', workspaceUuid: inst.workspaceUuid, accountId: ALICE });
  });

  describe('merge check (the readiness oracle, reading the sandbox as the app)', () => {
    it('fails a draft PR with the oracle\'s blocker as the message, and passes it once it is ready', async () => {
      const blocked = await mergeCheck(inst, 3);
      expect(blocked.status).toBe(200);
      expect(blocked.json).toMatchObject({ success: false });
      expect((blocked.json as { message: string }).message).toMatch(/draft/i);

      const pr = stack.sandbox.state.pullRequests.find((p) => p.repoUuid === WEB_REPO && p.id === 3);
      if (!pr) throw new Error('seed PR web#3 is missing');
      pr.draft = false;
      const ready = await mergeCheck(inst, 3);
      expect(ready.json).toEqual({ success: true, message: 'Bosun: ready to merge.' });
    });

    it('fails a PR with changes requested and a failed build once the branch requires both, naming both', async () => {
      expect((await mergeCheck(inst, 2)).json).toMatchObject({ success: true });
      for (const restriction of ['require_passing_builds_to_merge', 'require_no_changes_requested']) {
        const res = await fetch(`${stack.sandboxUrl}/2.0/repositories/acme/web/branch-restrictions`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${inst.systemToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ kind: restriction, branch_match_kind: 'glob', pattern: 'main' }),
        });
        expect(res.status).toBe(201);
      }
      const res = await mergeCheck(inst, 2);
      expect(res.json).toMatchObject({ success: false });
      const message = (res.json as { message: string }).message;
      expect(message).toMatch(/change/i);
      expect(message).toMatch(/build/i);
    });

    it('reads Bitbucket as the installation: its system token, at the FIT\'s apiBaseUrl', async () => {
      const before = stack.sandbox.requests.get(`app:${inst.installationId}`).total;
      expect((await mergeCheck(inst, 3)).status).toBe(200);
      // PR, repository, restrictions, default reviewers, tasks, statuses: all as this installation.
      expect(stack.sandbox.requests.get(`app:${inst.installationId}`).total - before).toBeGreaterThanOrEqual(6);
    });
  });

  describe('a Connect and a Forge installation of the same workspace stay apart', () => {
    it('a FIT cannot reach the Connect tenant, a Connect JWT cannot reach the Forge one', async () => {
      const connectKey = `ari:cloud:bitbucket::app/${inst.workspaceUuid}/bosun`;
      await stack.tenants.ensure(
        {
          clientKey: connectKey, appKey: 'bosun', sharedSecret: 'connect-secret-0123456789abcdef', baseUrl: stack.sandboxUrl, baseApiUrl: stack.sandboxUrl,
          workspaceUuid: inst.workspaceUuid, workspaceSlug: 'acme', workspaceName: 'Acme', installedByUuid: null, installedByAccountId: null,
        },
        new Date(),
      );
      // A FIT naming the Connect installation's key (only Forge could sign one) is still refused.
      const res = await mergeCheck({ ...inst, installationId: connectKey }, 3);
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ error: { code: 'FORGE_OTHER_APP' } });
      // The Forge installation's stored secret is random and never leaves Bosun: no Connect JWT verifies against it.
      const forgeTenant = await stack.tenants.getWithSecret(inst.installationId);
      expect(forgeTenant?.sharedSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const url = '/webhooks/bitbucket';
      const connectJwt = signHostJwt({ method: 'POST', url: `${stack.bosunUrl}${url}`, appBaseUrl: stack.bosunUrl, clientKey: inst.installationId, sharedSecret: 'a-guess-0123456789abcdef', now: new Date() });
      const connectReq = { method: 'POST', originalUrl: url, query: {}, header: (n: string) => (n.toLowerCase() === 'authorization' ? `JWT ${connectJwt}` : undefined) };
      await expect(stack.dualAuth.verifyHostRequest(connectReq as never)).rejects.toMatchObject({ code: 'JWT_SIGNATURE', httpStatus: 401 });
      // The same workspace, two tenants: each page call resolves to its own.
      const fit = await stack.forge.signFit({ installation: inst, moduleKey: 'bosun-pr-panel', accountId: ALICE });
      const viaDual = await stack.dualAuth.verifySession({ header: (n: string) => (n.toLowerCase() === 'authorization' ? `Bearer ${fit}` : undefined) } as never);
      expect(viaDual.viewer).toMatchObject({ clientKey: inst.installationId, page: 'pr-panel', accountId: ALICE });
      const installation = await stack.forge.install({ workspace: 'acme' });
      expect(installation.installationId).not.toBe(connectKey);
    });
  });

  it('uninstall purges the tenant; the next call from that installation is refused', async () => {
    const doomed = await stack.forge.install({ workspace: 'acme' });
    expect(await stack.tenants.get(doomed.installationId)).not.toBeNull();
    const res = await stack.forge.uninstall(doomed);
    expect(res.status).toBe(200);
    expect(await stack.tenants.get(doomed.installationId)).toBeNull();
    const after = await mergeCheck(doomed, 3);
    expect(after.status).toBe(403);
    expect(after.json).toMatchObject({ error: { code: 'FORGE_NOT_INSTALLED' } });
  });
});
