import { randomUUID } from 'node:crypto';
import { getRepository, getUser } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { BranchRestriction, BranchRestrictionKind, BranchType, Repository, RepositoryWebhook, User } from '../state/types';
import type { ActionContext } from './action-context';

export interface BranchRestrictionInput {
  kind?: BranchRestrictionKind;
  branchMatchKind?: 'glob' | 'branching_model';
  pattern?: string;
  branchType?: BranchType;
  value?: number | null;
  users?: string[];
  groups?: string[];
}

export interface WebhookInput {
  url?: string;
  description?: string;
  active?: boolean;
  events?: string[];
  secret?: string | null;
}

interface RepoRef {
  workspace: string;
  repo: string;
}

export interface SettingsActions {
  addDefaultReviewer(ref: RepoRef, user: string): User;
  removeDefaultReviewer(ref: RepoRef, user: string): void;
  createBranchRestriction(ref: RepoRef, input: BranchRestrictionInput): BranchRestriction;
  updateBranchRestriction(ref: RepoRef, id: number, input: BranchRestrictionInput): BranchRestriction;
  deleteBranchRestriction(ref: RepoRef, id: number): void;
  createWebhook(ref: RepoRef, input: WebhookInput): RepositoryWebhook;
  updateWebhook(ref: RepoRef, uid: string, input: WebhookInput): RepositoryWebhook;
  deleteWebhook(ref: RepoRef, uid: string): void;
}

/** Kinds whose `value` is a count (approvals, builds). */
const COUNTED: ReadonlySet<BranchRestrictionKind> = new Set([
  'require_approvals_to_merge', 'require_default_reviewer_approvals_to_merge', 'require_passing_builds_to_merge', 'require_commits_behind',
]);

export function findRestriction(state: ActionContext['state'], repo: Repository, id: number): BranchRestriction {
  const r = state.branchRestrictions.find((x) => x.repoUuid === repo.uuid && x.id === id);
  if (!r) throw new SandboxError(404, `No branch restriction with id ${id}.`);
  return r;
}

/** `{uuid}` with or without braces. */
export function findWebhook(state: ActionContext['state'], repo: Repository, uid: string): RepositoryWebhook {
  const bare = uid.replace(/^\{|\}$/g, '').toLowerCase();
  const hook = state.repositoryWebhooks.find((h) => h.repoUuid === repo.uuid && h.uuid.slice(1, -1).toLowerCase() === bare);
  if (!hook) throw new SandboxError(404, `No webhook with uuid ${uid}.`);
  return hook;
}

export function createSettingsActions(c: ActionContext): SettingsActions {
  const { state } = c;
  const repoOf = (ref: RepoRef) => getRepository(state, ref.workspace, ref.repo);

  const validateRestriction = (r: BranchRestriction) => {
    if (r.branchMatchKind === 'glob' && !r.pattern) throw new SandboxError(400, 'pattern: This field is required when branch_match_kind is glob.');
    if (r.branchMatchKind === 'branching_model' && !r.branchType) throw new SandboxError(400, 'branch_type: This field is required when branch_match_kind is branching_model.');
    if (COUNTED.has(r.kind) && (r.value === null || !Number.isInteger(r.value) || r.value < 0)) throw new SandboxError(400, `value: ${r.kind} needs a non-negative integer value.`);
  };

  const validateHook = (h: RepositoryWebhook) => {
    if (!/^https?:\/\//.test(h.url)) throw new SandboxError(400, 'url: Enter a valid URL.');
    if (h.events.length === 0) throw new SandboxError(400, 'events: At least one event is required.');
    if (h.secret !== null && h.secret.length > 128) throw new SandboxError(400, 'secret: Ensure this field has no more than 128 characters.');
  };

  return {
    addDefaultReviewer(ref, userRef) {
      const repo = repoOf(ref);
      const user = getUser(state, userRef);
      if (user.kind === 'app_user') throw new SandboxError(400, `${user.displayName} is a bot user and cannot be a default reviewer.`);
      if (!state.defaultReviewers.some((d) => d.repoUuid === repo.uuid && d.userUuid === user.uuid)) state.defaultReviewers.push({ repoUuid: repo.uuid, userUuid: user.uuid });
      return user;
    },

    removeDefaultReviewer(ref, userRef) {
      const repo = repoOf(ref);
      const user = getUser(state, userRef);
      const i = state.defaultReviewers.findIndex((d) => d.repoUuid === repo.uuid && d.userUuid === user.uuid);
      if (i < 0) throw new SandboxError(404, `${user.displayName} is not a default reviewer of this repository.`);
      state.defaultReviewers.splice(i, 1);
    },

    createBranchRestriction(ref, input) {
      const repo = repoOf(ref);
      if (!input.kind) throw new SandboxError(400, 'kind: This field is required.');
      if (!input.branchMatchKind) throw new SandboxError(400, 'branch_match_kind: This field is required.');
      const r: BranchRestriction = {
        repoUuid: repo.uuid,
        id: state.nextRestrictionId++,
        kind: input.kind,
        branchMatchKind: input.branchMatchKind,
        pattern: input.branchMatchKind === 'glob' ? (input.pattern ?? '') : '',
        branchType: input.branchMatchKind === 'branching_model' ? (input.branchType ?? null) : null,
        value: input.value ?? (COUNTED.has(input.kind) ? 1 : null),
        userUuids: (input.users ?? []).map((u) => getUser(state, u).uuid),
        groupSlugs: input.groups ?? [],
      };
      validateRestriction(r);
      state.branchRestrictions.push(r);
      return r;
    },

    updateBranchRestriction(ref, id, input) {
      const existing = findRestriction(state, repoOf(ref), id);
      const next: BranchRestriction = {
        ...existing,
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.branchMatchKind !== undefined ? { branchMatchKind: input.branchMatchKind } : {}),
        ...(input.pattern !== undefined ? { pattern: input.pattern } : {}),
        ...(input.branchType !== undefined ? { branchType: input.branchType } : {}),
        ...(input.value !== undefined ? { value: input.value } : {}),
        ...(input.users !== undefined ? { userUuids: input.users.map((u) => getUser(state, u).uuid) } : {}),
        ...(input.groups !== undefined ? { groupSlugs: input.groups } : {}),
      };
      validateRestriction(next);
      Object.assign(existing, next);
      return existing;
    },

    deleteBranchRestriction(ref, id) {
      const r = findRestriction(state, repoOf(ref), id);
      state.branchRestrictions.splice(state.branchRestrictions.indexOf(r), 1);
    },

    createWebhook(ref, input) {
      const repo = repoOf(ref);
      const hook: RepositoryWebhook = {
        repoUuid: repo.uuid,
        uuid: `{${randomUUID()}}`,
        url: input.url ?? '',
        description: input.description ?? '',
        active: input.active ?? true,
        events: [...new Set(input.events ?? [])],
        secret: input.secret ?? null,
        createdAt: new Date(c.now()).toISOString(),
      };
      validateHook(hook);
      state.repositoryWebhooks.push(hook);
      return hook;
    },

    updateWebhook(ref, uid, input) {
      const hook = findWebhook(state, repoOf(ref), uid);
      const next: RepositoryWebhook = {
        ...hook,
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
        ...(input.secret !== undefined ? { secret: input.secret } : {}),
      };
      validateHook(next);
      Object.assign(hook, next);
      return hook;
    },

    deleteWebhook(ref, uid) {
      const hook = findWebhook(state, repoOf(ref), uid);
      state.repositoryWebhooks.splice(state.repositoryWebhooks.indexOf(hook), 1);
    },
  };
}
