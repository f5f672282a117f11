import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toPathSegment, toRepositoryPath } from '../paths';
import { branchSchema, type Branch } from '../schemas/branch';

export interface ListBranchesOptions {
  /** BBQL filter, e.g. `name ~ "release/"`. */
  q?: string;
  sort?: string;
  max?: number;
}

export interface CreateBranchInput {
  /** Without a `refs/heads/` prefix. */
  name: string;
  /** A full hash is best: a short prefix may be ambiguous (400). */
  target: { hash: string };
}

export interface BranchesOperations {
  /** `GET /2.0/repositories/{workspace}/{repo_slug}/refs/branches`, all pages up to `max`. */
  list(workspace: string, repoSlug: string, options?: ListBranchesOptions): Promise<Branch[]>;
  /** `GET …/refs/branches/{name}`; a name with `/` is sent as one encoded segment. */
  get(workspace: string, repoSlug: string, name: string): Promise<Branch>;
  /** `POST …/refs/branches`. Not retried once sent; a repeat would answer 400 "already exists". */
  create(workspace: string, repoSlug: string, input: CreateBranchInput): Promise<Branch>;
  /** `DELETE …/refs/branches/{name}`. Destructive: confirm before calling. */
  delete(workspace: string, repoSlug: string, name: string): Promise<void>;
}

/** Builds the `branches` group of the client. */
export function createBranchesOperations(http: HttpTransport): BranchesOperations {
  const branchesPath = (workspace: string, repoSlug: string) => `${toRepositoryPath(workspace, repoSlug)}/refs/branches`;
  const branchPath = (workspace: string, repoSlug: string, name: string) =>
    `${branchesPath(workspace, repoSlug)}/${toPathSegment(name, 'branch name')}`;
  return {
    list: async (workspace, repoSlug, options = {}) =>
      paginate(
        http,
        { path: branchesPath(workspace, repoSlug), query: { q: options.q, sort: options.sort } },
        branchSchema,
        { max: options.max },
      ),
    get: async (workspace, repoSlug, name) =>
      http.sendJson({ method: 'GET', path: branchPath(workspace, repoSlug, name) }, branchSchema),
    create: async (workspace, repoSlug, input) =>
      http.sendJson({ method: 'POST', path: branchesPath(workspace, repoSlug), body: input }, branchSchema),
    delete: async (workspace, repoSlug, name) => {
      await http.send({ method: 'DELETE', path: branchPath(workspace, repoSlug, name) });
    },
  };
}
