import { SandboxError } from './sandbox-error';
import type { Commit, PullRequest, Repository, SandboxState, User, Workspace } from './types';

const REPO_NOT_FOUND =
  'You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.';

/** Slug or `{uuid}` (Bitbucket accepts both in URLs). */
export function findWorkspace(state: SandboxState, ref: string): Workspace | undefined {
  return state.workspaces.find((w) => w.slug === ref || w.uuid === ref);
}

export function getWorkspace(state: SandboxState, ref: string): Workspace {
  const ws = findWorkspace(state, ref);
  if (!ws) throw new SandboxError(404, `No workspace with identifier '${ref}'.`);
  return ws;
}

export function getRepository(state: SandboxState, workspaceRef: string, repoRef: string): Repository {
  const ws = getWorkspace(state, workspaceRef);
  const repo = state.repositories.find((r) => r.workspaceUuid === ws.uuid && (r.slug === repoRef || r.uuid === repoRef));
  if (!repo) throw new SandboxError(404, REPO_NOT_FOUND);
  return repo;
}

export function getWorkspaceOf(state: SandboxState, repo: Repository): Workspace {
  const ws = state.workspaces.find((w) => w.uuid === repo.workspaceUuid);
  if (!ws) throw new SandboxError(500, 'Repository without workspace');
  return ws;
}

export function getPullRequest(state: SandboxState, repo: Repository, id: number): PullRequest {
  const pr = state.pullRequests.find((p) => p.repoUuid === repo.uuid && p.id === id);
  if (!pr) throw new SandboxError(404, `Pull request ${id} not found.`);
  return pr;
}

/** Full hash or a unique prefix of at least 7 hex chars (Bitbucket resolves short hashes). */
export function findCommit(state: SandboxState, repo: Repository, ref: string): Commit | undefined {
  const branch = state.branches.find((b) => b.repoUuid === repo.uuid && b.name === ref);
  const hashRef = branch ? branch.target : ref.toLowerCase();
  if (!/^[0-9a-f]{7,40}$/.test(hashRef)) return undefined;
  const matches = state.commits.filter((c) => c.repoUuid === repo.uuid && c.hash.startsWith(hashRef));
  return matches.length === 1 ? matches[0] : undefined;
}

export function getCommit(state: SandboxState, repo: Repository, ref: string): Commit {
  const commit = findCommit(state, repo, ref);
  if (!commit) throw new SandboxError(404, `Commit not found: ${ref}`);
  return commit;
}

/** By uuid, account_id or nickname. */
export function findUser(state: SandboxState, ref: string): User | undefined {
  return state.users.find((u) => u.uuid === ref || u.accountId === ref || u.nickname === ref);
}

export function getUser(state: SandboxState, ref: string): User {
  const user = findUser(state, ref);
  if (!user) throw new SandboxError(404, `User ${ref} not found.`);
  return user;
}

export function getUserByUuid(state: SandboxState, uuid: string): User {
  return getUser(state, uuid);
}
