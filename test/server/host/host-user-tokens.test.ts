import { describe, expect, it } from 'vitest';
import { createHostUserTokens } from '../../../server/host';
import { createHostUserClientFactory, HostUserTokenMissingError } from '../../../server/create-host-user-clients';
import type { Tenant } from '../../../server/host';

const grant = { clientKey: 'forge-inst-1', userUuid: '{alice}', accessToken: 'forge-user-token-of-alice-0001' };
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => quiet };

describe('host user tokens (a Forge person\'s token, for their request only)', () => {
  it('is at hand inside the request for that person alone, and gone once the request settled, even for work that outlives it', async () => {
    const tokens = createHostUserTokens();
    let later: (() => string | null) | null = null;
    const seen = await tokens.run(grant, async () => {
      later = () => tokens.get(grant.clientKey, grant.userUuid);
      return {
        mine: tokens.get(grant.clientKey, grant.userUuid),
        otherPerson: tokens.get(grant.clientKey, '{bob}'),
        otherTenant: tokens.get('forge-inst-2', grant.userUuid),
      };
    });
    expect(seen).toEqual({ mine: grant.accessToken, otherPerson: null, otherTenant: null });
    expect(later).not.toBeNull();
    expect(later!()).toBeNull();
    expect(tokens.get(grant.clientKey, grant.userUuid)).toBeNull();
  });

  it('concurrent requests each see their own person', async () => {
    const tokens = createHostUserTokens();
    const bob = { ...grant, userUuid: '{bob}', accessToken: 'forge-user-token-of-bob-00002' };
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    const [a, b] = await Promise.all([
      tokens.run(grant, async () => { await pause(); return [tokens.get(grant.clientKey, '{alice}'), tokens.get(grant.clientKey, '{bob}')]; }),
      tokens.run(bob, async () => { await pause(); return [tokens.get(grant.clientKey, '{alice}'), tokens.get(grant.clientKey, '{bob}')]; }),
    ]);
    expect(a).toEqual([grant.accessToken, null]);
    expect(b).toEqual([null, bob.accessToken]);
  });

  it('Forge tenants\' people act with that token (never the vault); without it they are refused with a message saying why; Connect tenants use the vault', async () => {
    const tokens = createHostUserTokens();
    const seenAuth: string[] = [];
    const fetchStub = (async (_url: string | URL | Request, init?: RequestInit) => {
      seenAuth.push(String(new Headers(init?.headers).get('authorization')));
      return new Response(JSON.stringify({ uuid: '{alice}', display_name: 'Alice', type: 'user' }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const vaultCalls: string[] = [];
    const oauth = { forUser: async (tenant: Tenant) => { vaultCalls.push(tenant.clientKey); throw new Error('vault'); } };
    const factory = createHostUserClientFactory({ oauth, tokens, fetch: fetchStub, logger: quiet });
    const forgeTenant = { clientKey: grant.clientKey, host: 'forge', baseApiUrl: 'https://api.example.test' } as Tenant;
    const connectTenant = { clientKey: 'connect-1', host: 'connect', baseApiUrl: 'https://api.example.test' } as Tenant;

    await expect(factory.forUser(forgeTenant, '{alice}', ['pullrequest:write'])).rejects.toBeInstanceOf(HostUserTokenMissingError);
    await tokens.run(grant, async () => {
      const client = await factory.forUser(forgeTenant, '{alice}', ['pullrequest:write']);
      await client.users.getCurrent();
    });
    expect(seenAuth).toEqual([`Bearer ${grant.accessToken}`]);
    await expect(factory.forUser(connectTenant, '{alice}', [])).rejects.toThrow('vault');
    expect(vaultCalls).toEqual(['connect-1']);
  });
});
