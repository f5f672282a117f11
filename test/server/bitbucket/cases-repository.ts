import { LIST, sampleAccount, sampleCommit, type OperationCase } from './operation-cases';

const workspace = { type: 'workspace', uuid: '{w-1}', slug: 'acme', name: 'Acme', is_private: true };
const membership = {
  type: 'workspace_membership',
  permission: 'owner',
  user: sampleAccount,
  workspace,
  last_accessed: '2026-01-01T00:00:00Z',
};
const repository = {
  type: 'repository',
  uuid: '{r-1}',
  full_name: 'acme/web',
  name: 'web',
  slug: 'web',
  is_private: true,
  scm: 'git',
  mainbranch: { type: 'branch', name: 'main' },
  project: { type: 'project', key: 'WEB' },
};
const branch = {
  type: 'branch',
  name: 'feature/x',
  target: { type: 'commit', hash: sampleCommit.hash, date: sampleCommit.date },
  merge_strategies: ['merge_commit', 'squash'],
  default_merge_strategy: 'squash',
};

export const repositoryCases: OperationCase[] = [
  {
    op: 'users.getCurrent',
    run: (c) => c.users.getCurrent(),
    request: { method: 'GET', path: '/2.0/user' },
    response: { status: 200, json: sampleAccount },
    expected: { uuid: '{u-1}', display_name: 'Ada' },
  },
  {
    op: 'users.listEmails',
    run: (c) => c.users.listEmails(),
    request: { method: 'GET', path: '/2.0/user/emails', query: LIST },
    response: { status: 200, json: { values: [{ type: 'email', email: 'a@x', is_primary: true, is_confirmed: true }] } },
    expected: [{ email: 'a@x' }],
  },
  {
    op: 'users.listRepositoryPermissions',
    run: (c) => c.users.listRepositoryPermissions({ q: 'permission = "admin"', sort: 'repository.name' }),
    request: {
      method: 'GET',
      path: '/2.0/user/permissions/repositories',
      query: [...LIST, ['q', 'permission = "admin"'], ['sort', 'repository.name']],
    },
    response: {
      status: 200,
      json: { values: [{ type: 'repository_permission', permission: 'admin', user: sampleAccount, repository: repository }] },
    },
    expected: [{ permission: 'admin', repository: { full_name: 'acme/web' } }],
  },
  {
    op: 'users.listWorkspacePermissions',
    run: (c) => c.users.listWorkspacePermissions({ q: 'workspace.slug = "acme"' }),
    request: { method: 'GET', path: '/2.0/user/permissions/workspaces', query: [...LIST, ['q', 'workspace.slug = "acme"']] },
    response: { status: 200, json: { values: [membership] } },
    expected: [{ permission: 'owner', workspace: { slug: 'acme' } }],
  },
  {
    op: 'workspaces.get',
    run: (c) => c.workspaces.get('acme'),
    request: { method: 'GET', path: '/2.0/workspaces/acme' },
    response: { status: 200, json: workspace },
    expected: { slug: 'acme', uuid: '{w-1}' },
  },
  {
    op: 'workspaces.listMembers',
    run: (c) => c.workspaces.listMembers('acme', { max: 5 }),
    request: { method: 'GET', path: '/2.0/workspaces/acme/members', query: LIST },
    response: { status: 200, json: { values: [{ ...membership, permission: undefined }] } },
    expected: [{ user: { account_id: '557058:aaaa' } }],
  },
  {
    op: 'workspaces.getMember',
    run: (c) => c.workspaces.getMember('acme', '{u-1}'),
    request: { method: 'GET', path: '/2.0/workspaces/acme/members/%7Bu-1%7D' },
    response: { status: 200, json: membership },
    expected: { user: { uuid: '{u-1}' }, workspace: { slug: 'acme' } },
  },
  {
    op: 'workspaces.listPermissions',
    run: (c) => c.workspaces.listPermissions('acme', { q: 'permission="owner"' }),
    request: { method: 'GET', path: '/2.0/workspaces/acme/permissions', query: [...LIST, ['q', 'permission="owner"']] },
    response: { status: 200, json: { values: [membership] } },
    expected: [{ permission: 'owner' }],
  },
  {
    op: 'repositories.list',
    run: (c) => c.repositories.list('acme', { role: 'admin' }),
    request: { method: 'GET', path: '/2.0/repositories/acme', query: [...LIST, ['role', 'admin']] },
    response: { status: 200, json: { values: [repository] } },
    expected: [{ full_name: 'acme/web' }],
  },
  {
    op: 'repositories.get',
    run: (c) => c.repositories.get('acme', 'web'),
    request: { method: 'GET', path: '/2.0/repositories/acme/web' },
    response: { status: 200, json: repository },
    expected: { mainbranch: { name: 'main' } },
  },
  {
    op: 'repositories.create',
    run: (c) =>
      c.repositories.create('acme', 'web', { scm: 'git', is_private: true, description: 'Web', project: { key: 'WEB' } }),
    request: {
      method: 'POST',
      path: '/2.0/repositories/acme/web',
      body: { scm: 'git', is_private: true, description: 'Web', project: { key: 'WEB' } },
    },
    response: { status: 200, json: repository },
    expected: { uuid: '{r-1}', project: { key: 'WEB' } },
  },
  {
    op: 'repositories.update',
    run: (c) => c.repositories.update('acme', 'web', { description: 'New', mainbranch: { name: 'trunk' } }),
    request: { method: 'PUT', path: '/2.0/repositories/acme/web', body: { description: 'New', mainbranch: { name: 'trunk' } } },
    response: { status: 200, json: { ...repository, description: 'New', mainbranch: { name: 'trunk' } } },
    expected: { description: 'New', mainbranch: { name: 'trunk' } },
  },
  {
    op: 'branches.list',
    run: (c) => c.branches.list('acme', 'web', { q: 'name ~ "feature/"' }),
    request: { method: 'GET', path: '/2.0/repositories/acme/web/refs/branches', query: [...LIST, ['q', 'name ~ "feature/"']] },
    response: { status: 200, json: { values: [branch] } },
    expected: [{ name: 'feature/x' }],
  },
  {
    op: 'branches.get',
    run: (c) => c.branches.get('acme', 'web', 'feature/x'),
    request: { method: 'GET', path: '/2.0/repositories/acme/web/refs/branches/feature%2Fx' },
    response: { status: 200, json: branch },
    expected: { name: 'feature/x', target: { hash: sampleCommit.hash } },
  },
  {
    op: 'branches.create',
    run: (c) => c.branches.create('acme', 'web', { name: 'feature/x', target: { hash: sampleCommit.hash } }),
    request: {
      method: 'POST',
      path: '/2.0/repositories/acme/web/refs/branches',
      body: { name: 'feature/x', target: { hash: sampleCommit.hash } },
    },
    response: { status: 201, json: branch },
    expected: { name: 'feature/x' },
  },
  {
    op: 'branches.delete',
    run: (c) => c.branches.delete('acme', 'web', 'feature/x'),
    request: { method: 'DELETE', path: '/2.0/repositories/acme/web/refs/branches/feature%2Fx' },
    response: { status: 204 },
    expected: undefined,
  },
  {
    op: 'commits.list',
    run: (c) => c.commits.list('acme', 'web', { include: ['feature', 'fix'], exclude: ['main'], max: 10 }),
    request: {
      method: 'GET',
      path: '/2.0/repositories/acme/web/commits',
      query: [...LIST, ['include', 'feature'], ['include', 'fix'], ['exclude', 'main']],
    },
    response: { status: 200, json: { values: [sampleCommit] } },
    expected: [{ hash: sampleCommit.hash, author: { user: { display_name: 'Ada' } } }],
  },
  {
    op: 'commits.get',
    run: (c) => c.commits.get('acme', 'web', sampleCommit.hash),
    request: { method: 'GET', path: `/2.0/repositories/acme/web/commit/${sampleCommit.hash}` },
    response: { status: 200, json: sampleCommit },
    expected: { hash: sampleCommit.hash, parents: [{ hash: '1111111111111111111111111111111111111111' }] },
  },
  {
    op: 'source.getFile',
    run: (c) => c.source.getFile('acme', 'web', sampleCommit.hash, 'docs/read me.md'),
    request: { method: 'GET', path: `/2.0/repositories/acme/web/src/${sampleCommit.hash}/docs/read%20me.md` },
    response: { status: 200, text: '# Read me\n{"not": "parsed"}\n' },
    expected: '# Read me\n{"not": "parsed"}\n',
  },
];
