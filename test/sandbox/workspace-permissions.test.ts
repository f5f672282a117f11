import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_OAUTH_CONSUMER_KEY } from '../../sandbox';
import { loadOpenApiValidator } from './helpers/openapi-validator';
import { ALL_SCOPES, type Harness, startHarness } from './helpers/setup';

const spec = loadOpenApiValidator();

describe('sandbox workspace permissions: admins, members and a read-only member', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES } });
  });
  afterAll(async () => h.close());

  const permissionOf = async (nickname: string) => {
    const uuid = h.sandbox.state.users.find((u) => u.nickname === nickname)!.uuid;
    const res = await h.api('GET', `/2.0/workspaces/acme/permissions?q=${encodeURIComponent(`user.uuid="${uuid}"`)}`);
    expect(res.status).toBe(200);
    expect(spec.validate('paginated_workspace_memberships', res.json)).toEqual([]);
    return res.json.values.map((m: any) => m.permission);
  };

  it('lists alice as owner, erin (read-only) as collaborator and the others as members', async () => {
    expect(await permissionOf('alice')).toEqual(['owner']);
    expect(await permissionOf('erin')).toEqual(['collaborator']);
    for (const nickname of ['bob', 'carol', 'dave']) expect(await permissionOf(nickname)).toEqual(['member']);
    const collaborators = await h.api('GET', `/2.0/workspaces/acme/permissions?q=${encodeURIComponent('permission="collaborator"')}`);
    expect(collaborators.json.values.map((m: any) => m.user.nickname)).toEqual(['erin']);
  });

  it('gives the read-only member read permission on repositories, and others write or admin', async () => {
    const repoPermission = async (nickname: string) => {
      const token = h.sandbox.oauth.issueTokens({ userNickname: nickname, consumerKey: DEV_OAUTH_CONSUMER_KEY }).access_token;
      const res = await h.asUser(token, 'GET', `/2.0/user/permissions/repositories?q=${encodeURIComponent('repository.full_name="acme/web"')}`);
      expect(spec.validate('paginated_repository_permissions', res.json)).toEqual([]);
      return res.json.values.map((p: any) => p.permission);
    };
    expect(await repoPermission('erin')).toEqual(['read']);
    expect(await repoPermission('bob')).toEqual(['write']);
    expect(await repoPermission('alice')).toEqual(['admin']);
  });

  it('shows workspace settings and the apps\' admin pages to admins only, like Bitbucket', async () => {
    const as = (nickname: string, path: string) => fetch(`${h.url}${path}`, { headers: { cookie: `sandbox_user=${nickname}` } });
    const adminPage = '/acme/workspace/settings/addon/bosun-test/bosun-admin';
    expect((await as('alice', '/acme/workspace/settings')).status).toBe(200);
    expect(await (await as('alice', adminPage)).text()).toContain('<iframe data-connect-iframe');
    for (const nickname of ['bob', 'carol', 'dave', 'erin']) {
      const settings = await as(nickname, '/acme/workspace/settings');
      expect(settings.status).toBe(403);
      expect(await settings.text()).toContain('Only admins of Acme');
      const page = await as(nickname, adminPage);
      expect(page.status).toBe(403);
      expect(await page.text()).not.toContain('<iframe data-connect-iframe');
      expect(await (await as(nickname, '/')).text()).not.toContain('Manage apps');
    }
    expect(await (await as('alice', '/')).text()).toContain('Manage apps');
  });
});
