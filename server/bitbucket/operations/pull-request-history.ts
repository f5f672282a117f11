import type { HttpTransport } from '../http';
import { paginate, type PaginateOptions } from '../paginate';
import { toPullRequestPath } from '../paths';
import { commitSchema, type Commit } from '../schemas/commit';
import { commitStatusSchema, type CommitStatus } from '../schemas/commit-status';
import {
  diffstatSchema,
  pullRequestActivitySchema,
  type Diffstat,
  type PullRequestActivity,
} from '../schemas/pull-request-activity';

export interface PullRequestHistoryOperations {
  /** `GET …/pullrequests/{id}/statuses`: build statuses on the source head. Empty means pending. */
  listStatuses(workspace: string, repoSlug: string, id: number, options?: PaginateOptions): Promise<CommitStatus[]>;
  /** `GET …/pullrequests/{id}/activity`: updates, approvals, change requests and comments, newest first. */
  listActivity(workspace: string, repoSlug: string, id: number, options?: PaginateOptions): Promise<PullRequestActivity[]>;
  /**
   * `GET …/pullrequests/{id}/diffstat`: one entry per changed file. Bitbucket answers with a 302
   * to the repository diffstat; the transport follows it and signs the new URL.
   */
  getDiffstat(workspace: string, repoSlug: string, id: number, options?: PaginateOptions): Promise<Diffstat[]>;
  /** `GET …/pullrequests/{id}/commits`; empty once the source branch is gone. */
  listCommits(workspace: string, repoSlug: string, id: number, options?: PaginateOptions): Promise<Commit[]>;
}

/** The read-only history calls of the `pullRequests` group. */
export function createPullRequestHistoryOperations(http: HttpTransport): PullRequestHistoryOperations {
  const prPath = toPullRequestPath;
  return {
    listStatuses: async (workspace, repoSlug, id, options = {}) =>
      paginate(http, { path: `${prPath(workspace, repoSlug, id)}/statuses` }, commitStatusSchema, options),
    listActivity: async (workspace, repoSlug, id, options = {}) =>
      paginate(http, { path: `${prPath(workspace, repoSlug, id)}/activity` }, pullRequestActivitySchema, options),
    getDiffstat: async (workspace, repoSlug, id, options = {}) =>
      paginate(http, { path: `${prPath(workspace, repoSlug, id)}/diffstat` }, diffstatSchema, options),
    listCommits: async (workspace, repoSlug, id, options = {}) =>
      paginate(http, { path: `${prPath(workspace, repoSlug, id)}/commits` }, commitSchema, options),
  };
}
