import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toPathSegment, toRepositoryPath } from '../paths';
import { commitStatusSchema, type CommitStatus, type CommitStatusState } from '../schemas/commit-status';

export interface BuildStatusInput {
  /** Stable per check, at most 40 characters: the same key overwrites the earlier status. */
  key: string;
  state: CommitStatusState;
  name?: string;
  /** Link back to the build; may use `{repository.full_name}`/`{commit}` templates. */
  url: string;
  description?: string;
  /** Set to the PR's source branch so the status shows on the pull request. */
  refname?: string;
}

export type BuildStatusUpdate = Omit<BuildStatusInput, 'key' | 'url'> & { url?: string };

export interface ListCommitStatusesOptions {
  refname?: string;
  q?: string;
  max?: number;
}

export interface StatusesOperations {
  /** `GET …/commit/{commit}/statuses`. An empty list means "pending", not "green". */
  listForCommit(workspace: string, repoSlug: string, commit: string, options?: ListCommitStatusesOptions): Promise<CommitStatus[]>;
  /** `POST …/commit/{commit}/statuses/build`: creates or overwrites the status with `key`. */
  createBuild(workspace: string, repoSlug: string, commit: string, input: BuildStatusInput): Promise<CommitStatus>;
  /** `PUT …/commit/{commit}/statuses/build/{key}`. */
  updateBuild(workspace: string, repoSlug: string, commit: string, key: string, update: BuildStatusUpdate): Promise<CommitStatus>;
  /** `GET …/commit/{commit}/statuses/build/{key}`. */
  getBuild(workspace: string, repoSlug: string, commit: string, key: string): Promise<CommitStatus>;
}

function toCommitPath(workspace: string, repoSlug: string, commit: string): string {
  return `${toRepositoryPath(workspace, repoSlug)}/commit/${toPathSegment(commit, 'commit')}`;
}

/** Builds the `statuses` group of the client. */
export function createStatusesOperations(http: HttpTransport): StatusesOperations {
  return {
    listForCommit: async (workspace, repoSlug, commit, options = {}) =>
      paginate(
        http,
        { path: `${toCommitPath(workspace, repoSlug, commit)}/statuses`, query: { refname: options.refname, q: options.q } },
        commitStatusSchema,
        { max: options.max },
      ),
    createBuild: async (workspace, repoSlug, commit, input) =>
      http.sendJson(
        {
          method: 'POST',
          path: `${toCommitPath(workspace, repoSlug, commit)}/statuses/build`,
          body: input,
          // Same key overwrites, so sending it twice is harmless: retry like a PUT.
          // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-commit-statuses/#api-repositories-workspace-repo-slug-commit-commit-statuses-build-post
          retry: 'idempotent',
        },
        commitStatusSchema,
      ),
    updateBuild: async (workspace, repoSlug, commit, key, update) =>
      http.sendJson(
        {
          method: 'PUT',
          path: `${toCommitPath(workspace, repoSlug, commit)}/statuses/build/${toPathSegment(key, 'status key')}`,
          body: update,
        },
        commitStatusSchema,
      ),
    getBuild: async (workspace, repoSlug, commit, key) =>
      http.sendJson(
        { method: 'GET', path: `${toCommitPath(workspace, repoSlug, commit)}/statuses/build/${toPathSegment(key, 'status key')}` },
        commitStatusSchema,
      ),
  };
}
