import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandScopes, missingScopes } from '../../../server/auth';
import { loadDescriptor } from '../../../server/connect';
import { PROJECT_ROOT } from '../../../server/create-services';

const descriptor = loadDescriptor(path.join(PROJECT_ROOT, 'atlassian-connect.json'), 'https://bosun.example.com', null);
const uiModules = [
  ...descriptor.modules.webPanels,
  ...descriptor.modules.repoPages,
  ...descriptor.modules.adminPages,
  descriptor.modules.configurePage,
  ...descriptor.modules.profileTabs,
];

describe('atlassian-connect.json', () => {
  it('fills the base URL and declares JWT auth, lifecycle and the account context', () => {
    expect(descriptor.baseUrl).toBe('https://bosun.example.com');
    expect(descriptor.authentication).toEqual({ type: 'jwt' });
    expect(descriptor.lifecycle).toEqual({ installed: '/connect/installed', uninstalled: '/connect/uninstalled' });
    expect(descriptor.contexts).toEqual(['account']);
    expect(descriptor.vendor.name).toBeTruthy();
  });

  it('puts each UI module where Bitbucket shows it', () => {
    expect(descriptor.modules.webPanels.map((m) => m.location)).toEqual(['org.bitbucket.pullrequest.overview.informationPanel']);
    expect(descriptor.modules.repoPages.map((m) => m.location)).toEqual(['org.bitbucket.repository.navigation']);
    // Admin settings and the workspace page (repositories, templates, drift) both live in workspace settings.
    expect(descriptor.modules.adminPages.map((m) => [m.key, m.location])).toEqual([
      ['bosun-admin-settings', 'org.bitbucket.account.admin'],
      ['bosun-workspace', 'org.bitbucket.account.admin'],
    ]);
    expect(descriptor.modules.profileTabs).toHaveLength(1);
  });

  it('has unique module keys of the allowed form', () => {
    const keys = uiModules.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-zA-Z0-9-]{1,128}$/);
  });

  it('passes the context each page needs in its URL', () => {
    const panel = descriptor.modules.webPanels[0]!.url;
    for (const p of ['{repository.uuid}', '{pullrequest.id}', '{user.uuid}', '{user.account_id}']) expect(panel).toContain(p);
    expect(descriptor.modules.repoPages[0]!.url).toContain('{repository.uuid}');
    expect(descriptor.modules.repoPages[0]!.url).toContain('{repository.full_name}');
    for (const m of uiModules) expect(m.url).toContain('{user.uuid}');
  });

  it('subscribes to exactly the events Bosun handles', () => {
    expect(descriptor.modules.webhooks.map((w) => w.event).sort()).toEqual(
      [
        'pullrequest:created', 'pullrequest:updated', 'pullrequest:approved', 'pullrequest:unapproved',
        'pullrequest:changes_request_created', 'pullrequest:changes_request_removed', 'pullrequest:fulfilled',
        'pullrequest:rejected', 'pullrequest:comment_created', 'repo:push', 'repo:commit_status_created',
        'repo:commit_status_updated',
      ].sort(),
    );
  });

  it('asks for the least scopes: every context root, webhook and installation tool covered, nothing redundant', async () => {
    const granted = expandScopes(descriptor.scopes);
    // user.* context needs account; repository.* and repo:* webhooks need repository; pullrequest.* needs pullrequest.
    for (const needed of ['account', 'repository', 'pullrequest'] as const) expect(granted.has(needed)).toBe(true);
    // Every tool Bosun runs as the installation is covered, and every scope asked for is used by one.
    const { createDefaultToolCatalog, createMemoryAutoMergeStore } = await import('../../../server/agent');
    const { createMemoryRepositoryTemplateStore } = await import('../../../server/policies/memory-repository-template-store');
    // The catalog as Bosun runs it: with repository templates, whose webhooks need the webhook scope.
    const tools = createDefaultToolCatalog({ autoMerges: createMemoryAutoMergeStore(), templates: createMemoryRepositoryTemplateStore() }).tools.filter((t) => t.actsAs === 'installation');
    for (const tool of tools) expect(missingScopes(descriptor.scopes, tool.scopes), tool.name).toEqual([]);
    for (const scope of descriptor.scopes.filter((s) => s !== 'account')) {
      expect(tools.some((t) => t.scopes.some((needed) => expandScopes([scope]).has(needed as never))), `${scope} is used by no tool`).toBe(true);
    }
    for (const scope of descriptor.scopes) {
      const others = descriptor.scopes.filter((s) => s !== scope);
      expect(expandScopes(others).has(scope as never), `${scope} is implied by another scope`).toBe(false);
    }
    for (const forbidden of ['repository:delete', 'project:admin', 'account:write']) {
      expect(descriptor.scopes).not.toContain(forbidden);
    }
  });

  it('an app key override renames the app only', () => {
    const other = loadDescriptor(path.join(PROJECT_ROOT, 'atlassian-connect.json'), 'http://x', 'bosun-dev');
    expect(other.key).toBe('bosun-dev');
    expect(other.modules).toEqual({ ...descriptor.modules });
  });
});
