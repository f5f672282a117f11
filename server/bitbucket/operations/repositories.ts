import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toPathSegment, toRepositoryPath } from '../paths';
import { repositorySchema, type Repository } from '../schemas/repository';

export interface ListRepositoriesOptions {
  /** BBQL filter, e.g. `name ~ "web"`. https://developer.atlassian.com/cloud/bitbucket/rest/intro/#filtering */
  q?: string;
  /** Field to sort by, `-` prefix for descending, e.g. `-updated_on`. */
  sort?: string;
  /** Only repositories where the caller has this role. */
  role?: 'member' | 'contributor' | 'admin' | 'owner';
  max?: number;
}

export interface RepositoriesOperations {
  /** `GET /2.0/repositories/{workspace}`, all pages up to `max`. */
  list(workspace: string, options?: ListRepositoriesOptions): Promise<Repository[]>;
  /** `GET /2.0/repositories/{workspace}/{repo_slug}`. */
  get(workspace: string, repoSlug: string): Promise<Repository>;
}

/** Builds the `repositories` group of the client. */
export function createRepositoriesOperations(http: HttpTransport): RepositoriesOperations {
  return {
    list: async (workspace, options = {}) =>
      paginate(
        http,
        {
          path: `/repositories/${toPathSegment(workspace, 'workspace')}`,
          query: { q: options.q, sort: options.sort, role: options.role },
        },
        repositorySchema,
        { max: options.max },
      ),
    get: async (workspace, repoSlug) =>
      http.sendJson({ method: 'GET', path: toRepositoryPath(workspace, repoSlug) }, repositorySchema),
  };
}
