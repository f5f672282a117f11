import { toBracedUuid } from '../state/ids';
import { getCommit, getRepository, getUser, getWorkspace } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { Commit, CommitStatus, CommitStatusState, Repository } from '../state/types';
import { toRepository } from '../serialize/to-repository';
import { toUser } from '../serialize/to-account';
import { toCommitStatusPayload } from '../webhooks/build-payloads';
import type { ActionContext } from './action-context';
import { findBranchRestrictions } from './merge-checks';

export interface RepositoryFields {
  name?: string;
  description?: string;
  isPrivate?: boolean;
  language?: string;
  mainbranch?: string;
}

export interface RepositoryActions {
  /** New repositories get one commit (README.md) on their main branch, so branches and PRs work at once. */
  createRepository(input: { workspace: string; slug: string; actor: string } & RepositoryFields): Repository;
  updateRepository(input: { workspace: string; repo: string; actor: string } & RepositoryFields): Repository;
  createBranch(input: { workspace: string; repo: string; actor: string; name: string; target: string }): { name: string; commit: Commit };
  deleteBranch(input: { workspace: string; repo: string; actor: string; name: string }): void;
  setCommitStatus(input: {
    workspace: string;
    repo: string;
    commit: string;
    actor: string;
    key: string;
    state: CommitStatusState;
    name?: string;
    url?: string;
    description?: string;
    refname?: string;
  }): { status: CommitStatus; created: boolean };
  /**
   * Adds a commit on top of a branch (creating it from the main branch if new); fires repo:push and
   * pullrequest:updated. `files` sets (string) or deletes (null) paths; by default a notes file changes.
   * `parent`, given, must be the branch's head (409 otherwise, as `POST …/src` asserts), or for a new
   * branch the commit it starts from instead of the main branch's head.
   */
  pushCommit(input: { workspace: string; repo: string; branch: string; actor: string; message: string; files?: Record<string, string | null>; parent?: string }): Commit;
}

const SLUG = /^[a-z0-9][a-z0-9._-]*$/;

export function createRepositoryActions(c: ActionContext): RepositoryActions {
  const { state } = c;

  return {
    createRepository(input) {
      const ws = getWorkspace(state, input.workspace);
      const actor = getUser(state, input.actor);
      const slug = input.slug.toLowerCase();
      if (!SLUG.test(slug)) throw new SandboxError(400, `Invalid slug: ${input.slug}. Use lowercase letters, digits, dots, dashes and underscores.`);
      if (state.repositories.some((r) => r.workspaceUuid === ws.uuid && r.slug === slug)) {
        throw new SandboxError(400, 'Repository with this Slug and Owner already exists.');
      }
      const date = c.stamp();
      const repo: Repository = {
        uuid: toBracedUuid(`${ws.uuid}|repo|${slug}|${date}|${state.repositories.length}`),
        workspaceUuid: ws.uuid,
        slug,
        name: input.name ?? input.slug,
        description: input.description ?? '',
        isPrivate: input.isPrivate ?? true,
        mainbranch: input.mainbranch ?? 'main',
        language: input.language ?? '',
        createdOn: date,
        updatedOn: date,
      };
      state.repositories.push(repo);
      const first = c.addCommit(repo, [], 'Initial commit', actor, { 'README.md': `# ${repo.name}\n\n${repo.description}\n` });
      state.branches.push({ repoUuid: repo.uuid, name: repo.mainbranch, target: first.hash });
      c.emit('repo:created', repo, { actor: toUser(c.ctx, actor), repository: toRepository(c.ctx, repo) });
      return repo;
    },

    updateRepository(input) {
      const repo = getRepository(state, input.workspace, input.repo);
      const actor = getUser(state, input.actor);
      const changes: Record<string, { old: unknown; new: unknown }> = {};
      const set = <K extends keyof Repository>(key: K, field: string, value: Repository[K] | undefined) => {
        if (value === undefined || value === repo[key]) return;
        changes[field] = { old: repo[key], new: value };
        repo[key] = value;
      };
      if (input.mainbranch !== undefined && !c.findBranch(repo, input.mainbranch)) throw new SandboxError(400, `mainbranch: Branch not found: ${input.mainbranch}`);
      set('name', 'name', input.name);
      set('description', 'description', input.description);
      set('isPrivate', 'is_private', input.isPrivate);
      set('language', 'language', input.language);
      set('mainbranch', 'mainbranch', input.mainbranch);
      repo.updatedOn = c.stamp();
      c.emit('repo:updated', repo, { actor: toUser(c.ctx, actor), repository: toRepository(c.ctx, repo), changes });
      return repo;
    },

    createBranch(input) {
      const repo = getRepository(state, input.workspace, input.repo);
      const actor = getUser(state, input.actor);
      if (!input.name.trim() || /\s|\.\.|^\/|\/$|~|\^|:|\\/.test(input.name)) throw new SandboxError(400, `Invalid branch name: ${input.name}`);
      if (c.findBranch(repo, input.name)) throw new SandboxError(400, `Branch "${input.name}" already exists.`);
      const commit = getCommit(state, repo, input.target);
      state.branches.push({ repoUuid: repo.uuid, name: input.name, target: commit.hash });
      c.emitPush(repo, [{ branch: input.name, oldTarget: null, newTarget: commit, commits: [] }], actor);
      return { name: input.name, commit };
    },

    deleteBranch(input) {
      const repo = getRepository(state, input.workspace, input.repo);
      const actor = getUser(state, input.actor);
      const branch = c.findBranch(repo, input.name);
      if (!branch) throw new SandboxError(404, `Branch not found: ${input.name}`);
      if (branch.name === repo.mainbranch) throw new SandboxError(400, 'You cannot delete the main branch of a repository.');
      if (findBranchRestrictions(state, repo, branch.name, 'delete').length) {
        throw new SandboxError(403, `Branch "${branch.name}" cannot be deleted: a branch restriction prevents deletion.`);
      }
      const old = c.commitOf(repo, branch.target);
      state.branches.splice(state.branches.indexOf(branch), 1);
      c.emitPush(repo, [{ branch: branch.name, oldTarget: old, newTarget: null, commits: [] }], actor);
    },

    setCommitStatus(input) {
      const repo = getRepository(state, input.workspace, input.repo);
      const actor = getUser(state, input.actor);
      const commit = getCommit(state, repo, input.commit);
      if (!input.key || input.key.length > 40) throw new SandboxError(400, 'key: Ensure this value has at most 40 characters and is not empty.');
      const date = c.stamp();
      let status = state.statuses.find((s) => s.repoUuid === repo.uuid && s.commitHash === commit.hash && s.key === input.key);
      const created = !status;
      if (!status) {
        status = {
          uuid: toBracedUuid(`${repo.uuid}|${commit.hash}|${input.key}`),
          repoUuid: repo.uuid,
          commitHash: commit.hash,
          key: input.key,
          name: input.name ?? input.key,
          state: input.state,
          url: input.url ?? '',
          description: input.description ?? '',
          refname: input.refname ?? null,
          createdOn: date,
          updatedOn: date,
        };
        state.statuses.push(status);
      } else {
        Object.assign(status, {
          state: input.state,
          updatedOn: date,
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.url !== undefined ? { url: input.url } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.refname !== undefined ? { refname: input.refname } : {}),
        });
      }
      c.emit(created ? 'repo:commit_status_created' : 'repo:commit_status_updated', repo, toCommitStatusPayload(c.ctx, repo, status, actor));
      return { status, created };
    },

    pushCommit(input) {
      const repo = getRepository(state, input.workspace, input.repo);
      const actor = getUser(state, input.actor);
      const pushRules = findBranchRestrictions(state, repo, input.branch, 'push');
      if (pushRules.length && !pushRules.some((r) => r.userUuids.includes(actor.uuid))) {
        throw new SandboxError(403, `Pushes to "${input.branch}" are restricted by a branch restriction.`);
      }
      let branch = c.findBranch(repo, input.branch);
      const oldTarget = branch ? c.commitOf(repo, branch.target) : null;
      const parent = input.parent !== undefined ? getCommit(state, repo, input.parent).hash : undefined;
      if (branch && parent !== undefined && parent !== branch.target) {
        throw new SandboxError(409, `Parent ${input.parent} is not the head of branch ${branch.name}: the branch has moved on.`);
      }
      const base = branch?.target ?? parent ?? c.findBranch(repo, repo.mainbranch)?.target;
      if (!base) throw new SandboxError(400, `Branch not found: ${repo.mainbranch}`);
      const tree = { ...c.commitOf(repo, base).tree };
      const notes = `notes/${input.branch.replace(/[^a-z0-9]+/gi, '-')}.md`;
      for (const [path, content] of Object.entries(input.files ?? { [notes]: `${tree[notes] ?? ''}- ${input.message}\n` })) {
        if (content === null) delete tree[path];
        else tree[path] = content;
      }
      const commit = c.addCommit(repo, [base], input.message, actor, tree);
      if (branch) branch.target = commit.hash;
      else state.branches.push((branch = { repoUuid: repo.uuid, name: input.branch, target: commit.hash }));
      c.emitPush(repo, [{ branch: branch.name, oldTarget, newTarget: commit, commits: [commit] }], actor);
      for (const pr of state.pullRequests.filter((p) => p.repoUuid === repo.uuid && p.state === 'OPEN' && p.source.branch === branch.name)) {
        pr.source.hash = commit.hash;
        pr.updatedOn = commit.date;
        c.emitPr('pullrequest:updated', repo, pr, actor);
      }
      return commit;
    },
  };
}
