/** Scenarios: users, workspaces, repositories, branches, commits, source and commit statuses. */
import { expect } from 'vitest';
import { ForbiddenError } from '../../server/bitbucket';
import type { ExtraScenario, ScenarioTable } from './scenario';

const ALICE_UUID = '{a11ce000-0000-4000-8000-000000000001}';

export const REPOSITORY_SCENARIOS: ScenarioTable<'users' | 'workspaces' | 'repositories' | 'branches' | 'commits' | 'source' | 'statuses'> = {
  'users.getCurrent': async ({ user }) => expect((await user.users.getCurrent()).uuid).toBe(ALICE_UUID),
  'users.listEmails': async ({ user }) => expect((await user.users.listEmails()).map((e) => e.email)).toContain('alice@acme.test'),
  'users.listRepositoryPermissions': async ({ user }) =>
    expect(await user.users.listRepositoryPermissions({ q: 'permission = "admin"', sort: 'repository.name' })).not.toHaveLength(0),
  'users.listWorkspacePermissions': async ({ user }) =>
    expect((await user.users.listWorkspacePermissions({ q: 'permission = "owner"' })).map((m) => m.workspace?.slug)).toContain('acme'),

  'workspaces.get': async ({ app, workspace }) => expect((await app.workspaces.get(workspace)).slug).toBe(workspace),
  'workspaces.listMembers': async ({ app, workspace }) => expect((await app.workspaces.listMembers(workspace)).length).toBeGreaterThanOrEqual(4),
  'workspaces.getMember': async ({ app, workspace }) => expect((await app.workspaces.getMember(workspace, ALICE_UUID)).user?.uuid).toBe(ALICE_UUID),
  'workspaces.listPermissions': async ({ app, workspace }) =>
    expect((await app.workspaces.listPermissions(workspace, { q: 'permission = "owner"' })).length).toBeGreaterThanOrEqual(1),

  'repositories.list': async ({ app, workspace }) =>
    expect((await app.repositories.list(workspace, { q: 'name ~ "web"', sort: '-updated_on', role: 'member' })).map((r) => r.slug)).toContain('web'),
  'repositories.get': async ({ app, workspace, repo }) => expect((await app.repositories.get(workspace, repo)).full_name).toBe(`${workspace}/${repo}`),
  'repositories.create': async ({ user, workspace, unique }) => {
    const slug = unique('contract-repo');
    const created = await user.repositories.create(workspace, slug, { scm: 'git', is_private: true, description: 'Made by the contract suite', fork_policy: 'no_forks' });
    expect(created.slug).toBe(slug);
  },
  'repositories.update': async ({ user, workspace, unique, stack }) => {
    const slug = unique('contract-upd');
    stack.sandbox.actions.createRepository({ workspace, slug, actor: 'alice' });
    expect((await user.repositories.update(workspace, slug, { description: 'Updated by the contract suite' })).description).toBe('Updated by the contract suite');
  },

  'branches.list': async ({ app, workspace, repo }) =>
    expect((await app.branches.list(workspace, repo, { q: 'name = "main"', sort: '-name' })).map((b) => b.name)).toEqual(['main']),
  'branches.get': async ({ app, workspace, repo, newBranch }) => {
    const branch = newBranch('contract/get');
    expect((await app.branches.get(workspace, repo, branch.name)).target?.hash).toBe(branch.hash);
  },
  'branches.create': async ({ user, workspace, repo, unique, newBranch }) => {
    const from = newBranch();
    const name = unique('contract/created');
    expect((await user.branches.create(workspace, repo, { name, target: { hash: from.hash } })).name).toBe(name);
  },
  'branches.delete': async ({ user, workspace, repo, newBranch, stack }) => {
    const branch = newBranch('contract/delete');
    await user.branches.delete(workspace, repo, branch.name);
    expect(stack.sandbox.state.branches.some((b) => b.name === branch.name)).toBe(false);
  },

  'commits.list': async ({ app, workspace, repo, newBranch }) => {
    const branch = newBranch('contract/log');
    // The sandbox's pushCommit changes notes/<branch>.md.
    const path = `notes/${branch.name.replace(/[^a-z0-9]+/gi, '-')}.md`;
    const commits = await app.commits.list(workspace, repo, { include: [branch.name], exclude: ['main'], path, max: 10 });
    expect(commits.map((c) => c.hash)).toEqual([branch.hash]);
  },
  'commits.get': async ({ app, workspace, repo, newBranch }) => {
    const branch = newBranch('contract/commit');
    expect((await app.commits.get(workspace, repo, branch.hash)).hash).toBe(branch.hash);
  },

  'source.getFile': async ({ app, workspace, repo, newBranch }) => {
    const branch = newBranch('contract/src');
    expect(await app.source.getFile(workspace, repo, branch.hash, 'README.md')).toContain('# web');
  },
  'source.createCommit': async ({ app, stack, workspace, repo, newBranch }) => {
    const branch = newBranch('contract/upload');
    const { hash } = await app.source.createCommit(workspace, repo, { files: { 'docs/contract.md': '# Contract\n' }, message: 'Contract upload', branch: branch.name, parent: branch.hash });
    const commit = stack.sandbox.state.commits.find((c) => c.hash === hash);
    expect(commit).toMatchObject({ parents: [branch.hash], message: 'Contract upload\n', tree: expect.objectContaining({ 'docs/contract.md': '# Contract\n' }) });
  },

  'statuses.listForCommit': async ({ app, stack, workspace, repo, newBranch }) => {
    const branch = newBranch('contract/statuses');
    stack.sandbox.actions.setCommitStatus({ workspace, repo, commit: branch.hash, actor: 'bob', key: 'ci', state: 'SUCCESSFUL', url: 'https://ci.acme.test/1', refname: branch.name });
    const statuses = await app.statuses.listForCommit(workspace, repo, branch.hash, { refname: branch.name, q: 'state = "SUCCESSFUL"' });
    expect(statuses.map((s) => s.key)).toEqual(['ci']);
  },
  'statuses.createBuild': async ({ app, workspace, repo, newBranch }) => {
    const branch = newBranch('contract/build');
    const created = await app.statuses.createBuild(workspace, repo, branch.hash, {
      key: 'bosun-contract',
      state: 'INPROGRESS',
      name: 'Contract build',
      url: 'https://ci.acme.test/contract/1',
      description: 'Running',
      refname: branch.name,
    });
    expect(created.state).toBe('INPROGRESS');
  },
  'statuses.updateBuild': async ({ app, stack, workspace, repo, newBranch }) => {
    const branch = newBranch('contract/build-update');
    stack.sandbox.actions.setCommitStatus({ workspace, repo, commit: branch.hash, actor: 'bob', key: 'bosun-contract', state: 'INPROGRESS', url: 'https://ci.acme.test/2' });
    const updated = await app.statuses.updateBuild(workspace, repo, branch.hash, 'bosun-contract', { state: 'SUCCESSFUL', description: 'Passed' });
    expect(updated.state).toBe('SUCCESSFUL');
  },
  'statuses.getBuild': async ({ app, stack, workspace, repo, newBranch }) => {
    const branch = newBranch('contract/build-get');
    stack.sandbox.actions.setCommitStatus({ workspace, repo, commit: branch.hash, actor: 'bob', key: 'bosun-contract', state: 'FAILED', url: 'https://ci.acme.test/3' });
    expect((await app.statuses.getBuild(workspace, repo, branch.hash, 'bosun-contract')).state).toBe('FAILED');
  },
};

export const REPOSITORY_EXTRA_SCENARIOS: ExtraScenario[] = [
  {
    operation: 'branches.create',
    name: 'credentials without repository:write: 403 with the scope detail',
    run: async ({ readOnly, workspace, repo, unique, newBranch }) => {
      const from = newBranch();
      await expect(readOnly.branches.create(workspace, repo, { name: unique('contract/refused'), target: { hash: from.hash } })).rejects.toBeInstanceOf(ForbiddenError);
    },
  },
];
