import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnexpectedStatusError, type BitbucketClient, type WorkspaceMembership } from '../../../server/bitbucket';
import type { InstallationClientFactory } from '../../../server/host';
import type { Tenant, TenantStore, TenantWithSecret } from '../../../server/storage';
import { createWorkspaceAdminCheck } from '../../../server/web/api/workspace-admin-check';
import { NotWorkspaceAdminError } from '../../../server/web/api/not-workspace-admin-error';

const ALICE = '{a11ce000-0000-4000-8000-000000000001}';
const BOB = '{b0b00000-0000-4000-8000-000000000002}';

const tenant = (clientKey: string): TenantWithSecret => ({
  clientKey,
  installId: `install-${clientKey}`,
  host: 'connect',
  appKey: 'bosun',
  baseUrl: 'http://bitbucket.test',
  baseApiUrl: 'http://api.bitbucket.test',
  workspaceUuid: `{ws-${clientKey}}`,
  workspaceSlug: clientKey,
  workspaceName: clientKey,
  installedByUuid: null,
  installedByAccountId: null,
  installedAt: new Date(0),
  updatedAt: new Date(0),
  sharedSecret: 'secret',
});

/** A Bitbucket that answers the workspace permissions list from `owners` (per workspace), counting calls. */
function createFakeBitbucket(owners: Map<string, Set<string>>) {
  const calls: Array<{ workspace: string; q: string | undefined }> = [];
  let failWith: Error | null = null;
  let release: (() => void) | null = null;
  let gate: Promise<void> | null = null;
  const clients: InstallationClientFactory = {
    forTenant: () =>
      ({
        workspaces: {
          listPermissions: async (workspace: string, options?: { q?: string }): Promise<WorkspaceMembership[]> => {
            calls.push({ workspace, q: options?.q });
            if (gate) await gate;
            if (failWith) throw failWith;
            const uuid = /user\.uuid="([^"]+)"/.exec(options?.q ?? '')?.[1] ?? '';
            const permission = owners.get(workspace)?.has(uuid) ? 'owner' : 'member';
            return [{ permission, user: { type: 'user', uuid } }];
          },
        },
      }) as unknown as BitbucketClient,
  };
  return {
    clients,
    calls,
    fail: (err: Error | null) => {
      failWith = err;
    },
    hold: () => {
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = null;
          resolve();
        };
      });
    },
    release: () => release?.(),
  };
}

const tenantsOf = (...list: TenantWithSecret[]): TenantStore =>
  ({
    get: async (k: string) => list.find((t) => t.clientKey === k) ?? null,
    getWithSecret: async (k: string) => list.find((t) => t.clientKey === k) ?? null,
  }) as unknown as TenantStore;

describe('createWorkspaceAdminCheck', () => {
  const a = tenant('a');
  const b = tenant('b');
  const setup = (ttlMs = 60_000) => {
    const owners = new Map([[a.workspaceUuid!, new Set([ALICE])], [b.workspaceUuid!, new Set<string>()]]);
    const bitbucket = createFakeBitbucket(owners);
    let nowMs = 1_000_000;
    const check = createWorkspaceAdminCheck({ tenants: tenantsOf(a, b), clients: bitbucket.clients, now: () => new Date(nowMs), ttlMs });
    return { owners, bitbucket, check, advance: (ms: number) => (nowMs += ms) };
  };
  const asTenant = (t: TenantWithSecret): Tenant => {
    const { sharedSecret: _s, ...rest } = t;
    return rest;
  };

  it('asks Bitbucket for the viewer in the tenant\'s own workspace, by uuid', async () => {
    const { check, bitbucket } = setup();
    expect(await check.isAdmin(asTenant(a), ALICE)).toBe(true);
    expect(bitbucket.calls).toEqual([{ workspace: a.workspaceUuid, q: `user.uuid="${ALICE}"` }]);
    // Alice owns workspace a, not b: the cache is per tenant.
    expect(await check.isAdmin(asTenant(b), ALICE)).toBe(false);
    expect(bitbucket.calls).toHaveLength(2);
  });

  it('trusts a yes for the TTL and asks again after it', async () => {
    const { check, bitbucket, owners, advance } = setup();
    expect(await check.isAdmin(asTenant(a), ALICE)).toBe(true);
    owners.get(a.workspaceUuid!)!.delete(ALICE);
    advance(59_999);
    expect(await check.isAdmin(asTenant(a), ALICE)).toBe(true);
    expect(bitbucket.calls).toHaveLength(1);
    advance(1);
    expect(await check.isAdmin(asTenant(a), ALICE)).toBe(false);
    expect(bitbucket.calls).toHaveLength(2);
  });

  it('never serves a no from the cache: someone just made an admin gets in at once', async () => {
    const { check, bitbucket, owners } = setup();
    await expect(check.requireAdmin(asTenant(a), BOB)).rejects.toBeInstanceOf(NotWorkspaceAdminError);
    owners.get(a.workspaceUuid!)!.add(BOB);
    await expect(check.requireAdmin(asTenant(a), BOB)).resolves.toBeUndefined();
    expect(bitbucket.calls).toHaveLength(2);
  });

  it('a refusal by Bitbucket vouches for nobody and drops the cached yes; other failures are thrown', async () => {
    const { check, bitbucket, advance } = setup();
    expect(await check.isAdmin(asTenant(a), ALICE)).toBe(true);
    advance(60_000);
    bitbucket.fail(new ForbiddenError('refused', { method: 'GET', path: '/workspaces/x/permissions' }, null, { required: null, granted: null }));
    expect(await check.isAdmin(asTenant(a), ALICE)).toBe(false);
    bitbucket.fail(new UnexpectedStatusError('down', { method: 'GET', path: '/workspaces/x/permissions' }, null, 503));
    await expect(check.isAdmin(asTenant(a), ALICE)).rejects.toBeInstanceOf(UnexpectedStatusError);
    bitbucket.fail(null);
    expect(await check.isAdmin(asTenant(a), ALICE)).toBe(true);
    expect(bitbucket.calls).toHaveLength(4);
  });

  it('with a TTL of 0 asks every time', async () => {
    const { check, bitbucket } = setup(0);
    await check.isAdmin(asTenant(a), ALICE);
    await check.isAdmin(asTenant(a), ALICE);
    expect(bitbucket.calls).toHaveLength(2);
  });

  it('asks once for concurrent checks of the same person', async () => {
    const { check, bitbucket } = setup();
    bitbucket.hold();
    const answers = Promise.all([check.isAdmin(asTenant(a), ALICE), check.isAdmin(asTenant(a), ALICE), check.isAdmin(asTenant(a), ALICE)]);
    await new Promise((resolve) => setImmediate(resolve));
    bitbucket.release();
    expect(await answers).toEqual([true, true, true]);
    expect(bitbucket.calls).toHaveLength(1);
  });

  it('refuses a missing or malformed uuid without asking (nothing unchecked reaches a BBQL query)', async () => {
    const { check, bitbucket } = setup();
    expect(await check.isAdmin(asTenant(a), null)).toBe(false);
    expect(await check.isAdmin(asTenant(a), '{a11ce000" OR permission="owner}')).toBe(false);
    expect(bitbucket.calls).toHaveLength(0);
  });
});
