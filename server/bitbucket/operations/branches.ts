import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toRepositoryPath } from '../paths';
import { branchSchema, type Branch } from '../schemas/branch';

export interface ListBranchesOptions {
  /** BBQL filter, e.g. `name ~ "release/"`. */
  q?: string;
  sort?: string;
  max?: number;
}

export interface BranchesOperations {
  /** `GET /2.0/repositories/{workspace}/{repo_slug}/refs/branches`, all pages up to `max`. */
  list(workspace: string, repoSlug: string, options?: ListBranchesOptions): Promise<Branch[]>;
}

/** Builds the `branches` group of the client. */
export function createBranchesOperations(http: HttpTransport): BranchesOperations {
  return {
    list: async (workspace, repoSlug, options = {}) =>
      paginate(
        http,
        { path: `${toRepositoryPath(workspace, repoSlug)}/refs/branches`, query: { q: options.q, sort: options.sort } },
        branchSchema,
        { max: options.max },
      ),
  };
}
