import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toPathSegment, toRepositoryPath } from '../paths';
import {
  branchRestrictionSchema,
  type BranchMatchKind,
  type BranchRestriction,
  type BranchRestrictionKind,
  type BranchType,
} from '../schemas/branch-restriction';

export interface ListBranchRestrictionsOptions {
  kind?: BranchRestrictionKind;
  /** Exact glob pattern, e.g. `main` or `release/*`. */
  pattern?: string;
  max?: number;
}

export interface BranchRestrictionInput {
  kind: BranchRestrictionKind;
  branch_match_kind: BranchMatchKind;
  /** For `glob`. */
  pattern?: string;
  /** For `branching_model`. */
  branch_type?: BranchType;
  /** Kind-specific number, e.g. the approvals `require_approvals_to_merge` needs. */
  value?: number;
  /** Exempt users (push/restrict_merges kinds). */
  users?: Array<{ uuid: string } | { account_id: string }>;
  groups?: Array<{ slug: string }>;
}

export interface BranchRestrictionsOperations {
  /** `GET …/branch-restrictions`, all pages up to `max`. */
  list(workspace: string, repoSlug: string, options?: ListBranchRestrictionsOptions): Promise<BranchRestriction[]>;
  /** `GET …/branch-restrictions/{id}`. */
  get(workspace: string, repoSlug: string, id: number): Promise<BranchRestriction>;
  /** `POST …/branch-restrictions` (needs repository:admin). */
  create(workspace: string, repoSlug: string, input: BranchRestrictionInput): Promise<BranchRestriction>;
  /** `PUT …/branch-restrictions/{id}`: changes the fields given. */
  update(workspace: string, repoSlug: string, id: number, input: Partial<BranchRestrictionInput>): Promise<BranchRestriction>;
  /** `DELETE …/branch-restrictions/{id}`. */
  delete(workspace: string, repoSlug: string, id: number): Promise<void>;
}

/** Builds the `branchRestrictions` group of the client. */
export function createBranchRestrictionsOperations(http: HttpTransport): BranchRestrictionsOperations {
  const listPath = (workspace: string, repoSlug: string) => `${toRepositoryPath(workspace, repoSlug)}/branch-restrictions`;
  const itemPath = (workspace: string, repoSlug: string, id: number) =>
    `${listPath(workspace, repoSlug)}/${toPathSegment(id, 'branch restriction id')}`;
  return {
    list: async (workspace, repoSlug, options = {}) =>
      paginate(
        http,
        { path: listPath(workspace, repoSlug), query: { kind: options.kind, pattern: options.pattern } },
        branchRestrictionSchema,
        { max: options.max },
      ),
    get: async (workspace, repoSlug, id) =>
      http.sendJson({ method: 'GET', path: itemPath(workspace, repoSlug, id) }, branchRestrictionSchema),
    create: async (workspace, repoSlug, input) =>
      http.sendJson({ method: 'POST', path: listPath(workspace, repoSlug), body: input }, branchRestrictionSchema),
    update: async (workspace, repoSlug, id, input) =>
      http.sendJson({ method: 'PUT', path: itemPath(workspace, repoSlug, id), body: input }, branchRestrictionSchema),
    delete: async (workspace, repoSlug, id) => {
      await http.send({ method: 'DELETE', path: itemPath(workspace, repoSlug, id) });
    },
  };
}
