import { describe, expect, it } from 'vitest';
import { BootContextError } from '../../../client/api/boot-context-error';
import { createApiClient } from '../../../client/api/create-api-client';
import { isInForge } from '../../../client/host/load-page-host';
import { toForgeFetch, type RemoteCall } from '../../../client/host/to-forge-fetch';
import { toForgeBootAnswer, toForgePageContext } from '../../../client/host/to-forge-page-context';

describe('the Forge door of client/host', () => {
  it('knows it is in Forge only where Forge\'s hosting defined the bridge', () => {
    expect(isInForge({})).toBe(false);
    expect(isInForge({ __bridge: {} })).toBe(false);
    expect(isInForge({ __bridge: { callBridge: 'no' } })).toBe(false);
    expect(isInForge({ __bridge: { callBridge: async () => undefined } })).toBe(true);
  });

  it('sends the API client\'s calls through invokeRemote without the page\'s Authorization, and reads Forge\'s answer as a Response', async () => {
    const seen: RemoteCall[] = [];
    const api = createApiClient({
      token: 'forge',
      fetch: toForgeFetch(async (call) => {
        seen.push(call);
        return { status: 202, headers: { 'content-type': ['application/json'] }, body: { jobId: 'j1', status: 'queued' } };
      }),
    });
    await expect(api.approvePullRequest('{repo}', 4, 'key-1')).resolves.toEqual({ jobId: 'j1', status: 'queued' });
    expect(seen).toEqual([{ path: '/api/pr-panel/approve', method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: { repoUuid: '{repo}', prId: 4, idempotencyKey: 'key-1' } }]);
  });

  it('turns Bosun\'s refusals into the client\'s ApiErrors, and a missing answer into a 502', async () => {
    const refusing = createApiClient({ token: 'forge', fetch: toForgeFetch(async () => ({ status: 403, headers: {}, body: { error: { code: 'SESSION_SCOPE', message: 'not this page' } } })) });
    await expect(refusing.getAdminSettings()).rejects.toMatchObject({ status: 403 });
    const silent = createApiClient({ token: 'forge', fetch: toForgeFetch(async () => undefined) });
    await expect(silent.getAdminSettings()).rejects.toMatchObject({ status: 502 });
    const empty = await toForgeFetch(async () => ({ status: 204, headers: {} }))('/api/x', { method: 'DELETE', headers: {} });
    expect(empty.status).toBe(204);
  });

  it('builds the page context from view.getContext and Bosun\'s boot answer', () => {
    const boot = toForgeBootAnswer({ page: 'pr-panel', userUuid: '{alice}', accountId: '712020:alice' });
    const context = toForgePageContext(
      { accountId: '712020:alice', siteUrl: 'https://bitbucket.org', extension: { repository: { uuid: '{repo}', full_name: 'acme/web' }, pullRequest: { id: 7 } } },
      boot,
    );
    expect(context).toEqual({ page: 'pr-panel', repoUuid: '{repo}', repoFullName: 'acme/web', prId: '7', userUuid: '{alice}', accountId: '712020:alice', hostBaseUrl: 'https://bitbucket.org' });
    expect(toForgePageContext({ siteUrl: 'https://bitbucket.org' }, { ...boot, page: 'admin-settings' })).toMatchObject({ page: 'admin-settings', repoUuid: null, prId: null });
  });

  it('refuses a boot answer or a context that is not one', () => {
    expect(() => toForgeBootAnswer({ page: 'somewhere-else' })).toThrow(BootContextError);
    expect(() => toForgeBootAnswer(null)).toThrow(BootContextError);
    expect(() => toForgePageContext({ extension: {} }, { page: 'pr-panel', userUuid: null, accountId: null })).toThrow(/siteUrl/);
  });
});
