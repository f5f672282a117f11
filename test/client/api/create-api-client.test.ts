import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../client/api/api-error';
import { createApiClient, type FetchLike } from '../../../client/api/create-api-client';
import type { ApiErrorBody, PersonalSettingsView } from '../../../server/web/api/contracts';

interface Call {
  url: string;
  headers: Record<string, string>;
  method: string;
  body?: string;
}

const createFetch = (answer: () => Promise<Response>): { fetch: FetchLike; calls: Call[] } => {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, headers: init.headers, method: init.method, body: init.body });
    return answer();
  };
  return { fetch, calls };
};

const json = (status: number, body: unknown): Promise<Response> =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));

const personalSettings: PersonalSettingsView = {
  viewer: { uuid: '{u}', accountId: '557058:x' },
  workspaceSlug: 'acme',
  oauthConfigured: true,
  connection: { status: 'not_connected', displayName: null, nickname: null, avatarUrl: null, email: null, scopes: [], connectedAt: null },
  revokeUrl: 'http://host/account/settings/app-authorizations/',
};

const rejection = async (promise: Promise<unknown>): Promise<ApiError> => {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
};

describe('createApiClient', () => {
  it('sends the bearer token to the relative URL of each route', async () => {
    const { fetch, calls } = createFetch(() => json(200, {}));
    const api = createApiClient({ token: 'sess-1', fetch });
    await api.getPullRequestPanel('{repo uuid}', '7');
    await api.getRepoDashboard('{repo uuid}');
    await api.getAdminSettings();
    await api.getPersonalSettings();
    expect(calls.map((call) => call.url)).toEqual([
      '/api/pr-panel?repoUuid=%7Brepo+uuid%7D&prId=7',
      '/api/repo-dashboard?repoUuid=%7Brepo+uuid%7D',
      '/api/admin-settings',
      '/api/personal-settings',
    ]);
    for (const call of calls) expect(call.headers.Authorization).toBe('Bearer sess-1');
  });

  it('resolves to the parsed body on 2xx', async () => {
    const { fetch } = createFetch(() => json(200, personalSettings));
    await expect(createApiClient({ token: 't', fetch }).getPersonalSettings()).resolves.toEqual(personalSettings);
  });

  it('maps an ApiErrorBody to an ApiError with its status, code and message', async () => {
    const body: ApiErrorBody = { error: { code: 'session_expired', message: 'The session token expired' } };
    const { fetch } = createFetch(() => json(401, body));
    const error = await rejection(createApiClient({ token: 't', fetch }).getAdminSettings());
    expect(error).toMatchObject({ status: 401, code: 'session_expired', message: 'The session token expired' });
  });

  it('falls back to a code from the status when the body is not an ApiErrorBody', async () => {
    const { fetch } = createFetch(() => Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502 })));
    const error = await rejection(createApiClient({ token: 't', fetch }).getAdminSettings());
    expect(error).toMatchObject({ status: 502, code: 'server_error' });
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'http_error'],
  ])('falls back on HTTP %i to %s', async (status, code) => {
    const { fetch } = createFetch(() => json(status, { message: 'not our shape' }));
    const error = await rejection(createApiClient({ token: 't', fetch }).getAdminSettings());
    expect(error).toMatchObject({ status, code });
  });

  it('turns a network failure into an ApiError with status 0', async () => {
    const { fetch } = createFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await rejection(createApiClient({ token: 't', fetch }).getPersonalSettings());
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
    expect(error.message).toContain('Failed to fetch');
  });

  it('rejects a 2xx answer that is not JSON', async () => {
    const { fetch } = createFetch(() => Promise.resolve(new Response('<html></html>', { status: 200 })));
    const error = await rejection(createApiClient({ token: 't', fetch }).getPersonalSettings());
    expect(error).toMatchObject({ status: 200, code: 'bad_response' });
  });
});

describe('actions as the viewer', () => {
  it('POSTs the approve body and reads the connect prompt from a 403', async () => {
    const { fetch, calls } = createFetch(() =>
      json(403, { error: { code: 'OAUTH_NOT_CONNECTED', message: 'Connect your Bitbucket account', connect: { reason: 'not_connected', requiredScopes: ['pullrequest:write'] } } }),
    );
    const api = createApiClient({ token: 't', fetch });
    const error = await rejection(api.approvePullRequest('{r}', 7, 'key-12345678'));
    expect(calls[0]).toMatchObject({ url: '/api/pr-panel/approve', method: 'POST', body: JSON.stringify({ repoUuid: '{r}', prId: 7, idempotencyKey: 'key-12345678' }) });
    expect(error.connect).toEqual({ reason: 'not_connected', requiredScopes: ['pullrequest:write'] });
  });

  it('ignores a malformed connect prompt', async () => {
    const { fetch } = createFetch(() => json(403, { error: { code: 'X', message: 'm', connect: { reason: 'bogus' } } }));
    const error = await rejection(createApiClient({ token: 't', fetch }).startOAuth());
    expect(error.connect).toBeNull();
  });
});
