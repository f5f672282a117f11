import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../../client/api/create-api-client';
import { ApiError } from '../../../client/api/api-error';
import { loadAdminSettings } from '../../../client/admin-settings/load-admin-settings';

const answering = (status: number, body: unknown) =>
  createApiClient({
    token: 't',
    fetch: async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
  });

describe('loadAdminSettings', () => {
  it('turns Bosun\'s 403 (not a workspace admin) into the admins-only message, not an error', async () => {
    const api = answering(403, { error: { code: 'NOT_WORKSPACE_ADMIN', message: 'Only workspace admins can see Bosun\'s settings' } });
    expect(await loadAdminSettings(api)).toEqual({ kind: 'admins-only' });
  });

  it('passes the settings through for an admin', async () => {
    const view = { descriptorUrl: 'http://bosun/atlassian-connect.json' };
    expect(await loadAdminSettings(answering(200, view))).toEqual({ kind: 'settings', view });
  });

  it('keeps every other failure an error', async () => {
    const error = await loadAdminSettings(answering(401, { error: { code: 'SESSION_EXPIRED', message: 'Your session expired' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    await expect(loadAdminSettings(answering(502, { error: { code: 'BITBUCKET_UNEXPECTED_STATUS', message: 'x' } }))).rejects.toBeInstanceOf(ApiError);
  });
});
