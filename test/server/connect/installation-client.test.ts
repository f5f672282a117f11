import { describe, expect, it } from 'vitest';
import { createInstallationClientFactory, createInstallationClientState } from '../../../server/connect';
import type { TenantWithSecret } from '../../../server/host';
import { createLogger } from '../../../server/log';

const tenant: TenantWithSecret = {
  clientKey: 'ck-1', installId: 'i-1', host: 'connect', appKey: 'bosun', baseUrl: 'https://bitbucket.example', baseApiUrl: 'https://api.bitbucket.example',
  workspaceUuid: '{w}', workspaceSlug: 'acme', workspaceName: 'Acme', installedByUuid: null, installedByAccountId: null,
  installedAt: new Date(0), updatedAt: new Date(0), sharedSecret: 'shared-secret-shared-secret',
};

/** A Bitbucket that answers the JWT grant (slowly, so callers overlap) and GET /2.0/user. */
function bitbucket() {
  const seen = { tokens: 0, api: 0 };
  const fetch: typeof globalThis.fetch = async (input) => {
    if (String(input).endsWith('/site/oauth2/access_token')) {
      seen.tokens += 1;
      await new Promise((r) => setTimeout(r, 20));
      return new Response(JSON.stringify({ access_token: `t${seen.tokens}`, expires_in: 3600 }), { status: 200, headers: { 'content-type': 'application/json' } });
    }
    seen.api += 1;
    return new Response(JSON.stringify({ type: 'user', uuid: '{u}', display_name: 'App' }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, seen };
}

describe('installation client factories (JWT grant)', () => {
  const logger = createLogger({ level: 'silent' });
  const make = (fetch: typeof globalThis.fetch, state?: ReturnType<typeof createInstallationClientState>) =>
    createInstallationClientFactory({ fetch, logger, strategy: 'jwt-grant', siteUrl: 'https://bitbucket.example', ...(state ? { state } : {}) });

  it('factories sharing one state trade the JWT for one token, even when their first calls overlap (a sync job and a panel read)', async () => {
    const { fetch, seen } = bitbucket();
    const state = createInstallationClientState();
    const sync = make(fetch, state);
    const panel = make(fetch, state);
    await Promise.all([sync.forTenant(tenant).users.getCurrent(), panel.forTenant(tenant).users.getCurrent(), panel.forTenant(tenant).users.getCurrent()]);
    expect(seen).toEqual({ tokens: 1, api: 3 });
  });

  it('factories with their own state each trade for a token (what the shared state prevents)', async () => {
    const { fetch, seen } = bitbucket();
    await Promise.all([make(fetch).forTenant(tenant).users.getCurrent(), make(fetch).forTenant(tenant).users.getCurrent()]);
    expect(seen.tokens).toBe(2);
  });
});
