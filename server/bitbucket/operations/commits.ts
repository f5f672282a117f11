import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toPathSegment, toRepositoryPath } from '../paths';
import { commitSchema, type Commit } from '../schemas/commit';

export interface ListCommitsOptions {
  /** Refs or hashes whose history to include (repeated `include=`), like `git log foo bar`. */
  include?: string[];
  /** Refs or hashes whose history to leave out (repeated `exclude=`), like `^main`. */
  exclude?: string[];
  /** Only commits touching this file or directory. */
  path?: string;
  max?: number;
}

export interface CommitsOperations {
  /**
   * `GET /2.0/repositories/{workspace}/{repo_slug}/commits`, newest first, up to `max`.
   * `include`/`exclude` are documented only in the endpoint's description, not as parameters.
   */
  list(workspace: string, repoSlug: string, options?: ListCommitsOptions): Promise<Commit[]>;
  /** `GET …/commit/{commit}`; `commit` is a hash (short or full). */
  get(workspace: string, repoSlug: string, commit: string): Promise<Commit>;
}

/** Builds the `commits` group of the client. */
export function createCommitsOperations(http: HttpTransport): CommitsOperations {
  return {
    list: async (workspace, repoSlug, options = {}) =>
      paginate(
        http,
        {
          path: `${toRepositoryPath(workspace, repoSlug)}/commits`,
          query: { include: options.include, exclude: options.exclude, path: options.path },
        },
        commitSchema,
        { max: options.max },
      ),
    get: async (workspace, repoSlug, commit) =>
      http.sendJson(
        { method: 'GET', path: `${toRepositoryPath(workspace, repoSlug)}/commit/${toPathSegment(commit, 'commit')}` },
        commitSchema,
      ),
  };
}
