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

/** Writable fields of `POST /2.0/repositories/{workspace}/{repo_slug}` (the spec's `repository`). */
export interface CreateRepositoryInput {
  /** Bitbucket Cloud only hosts git now. */
  scm?: 'git';
  name?: string;
  is_private?: boolean;
  description?: string;
  /** Defaults to the workspace's oldest project. */
  project?: { key: string };
  mainbranch?: { name: string };
  fork_policy?: 'allow_forks' | 'no_public_forks' | 'no_forks';
  language?: string;
  has_issues?: boolean;
  has_wiki?: boolean;
}

/** `PUT` sends only the fields given; renaming through `name` changes the slug. */
export type UpdateRepositoryInput = CreateRepositoryInput;

export interface RepositoriesOperations {
  /** `GET /2.0/repositories/{workspace}`, all pages up to `max`. */
  list(workspace: string, options?: ListRepositoriesOptions): Promise<Repository[]>;
  /** `GET /2.0/repositories/{workspace}/{repo_slug}`. */
  get(workspace: string, repoSlug: string): Promise<Repository>;
  /** `POST /2.0/repositories/{workspace}/{repo_slug}`: creates the repository (not retried once sent). */
  create(workspace: string, repoSlug: string, input?: CreateRepositoryInput): Promise<Repository>;
  /** `PUT /2.0/repositories/{workspace}/{repo_slug}`: updates the fields given. */
  update(workspace: string, repoSlug: string, input: UpdateRepositoryInput): Promise<Repository>;
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
    create: async (workspace, repoSlug, input = {}) =>
      http.sendJson({ method: 'POST', path: toRepositoryPath(workspace, repoSlug), body: input }, repositorySchema),
    update: async (workspace, repoSlug, input) =>
      http.sendJson({ method: 'PUT', path: toRepositoryPath(workspace, repoSlug), body: input }, repositorySchema),
  };
}
