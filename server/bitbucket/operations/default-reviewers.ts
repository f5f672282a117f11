import type { HttpTransport } from '../http';
import { paginate, type PaginateOptions } from '../paginate';
import { toPathSegment, toRepositoryPath } from '../paths';
import { accountSchema, type Account } from '../schemas/common';
import { effectiveDefaultReviewerSchema, type EffectiveDefaultReviewer } from '../schemas/default-reviewer';

export interface DefaultReviewersOperations {
  /** `GET …/default-reviewers`: the repository's own default reviewers (not the project's). */
  list(workspace: string, repoSlug: string, options?: PaginateOptions): Promise<Account[]>;
  /**
   * `PUT …/default-reviewers/{target_username}`; idempotent. Usernames are gone from Bitbucket
   * Cloud: pass the user's `{uuid}` (or account_id).
   */
  add(workspace: string, repoSlug: string, targetUsername: string): Promise<Account>;
  /** `DELETE …/default-reviewers/{target_username}`. */
  remove(workspace: string, repoSlug: string, targetUsername: string): Promise<void>;
  /** `GET …/effective-default-reviewers`: repository and inherited project reviewers, with `reviewer_type`. */
  listEffective(workspace: string, repoSlug: string, options?: PaginateOptions): Promise<EffectiveDefaultReviewer[]>;
}

/** Builds the `defaultReviewers` group of the client. */
export function createDefaultReviewersOperations(http: HttpTransport): DefaultReviewersOperations {
  const listPath = (workspace: string, repoSlug: string) => `${toRepositoryPath(workspace, repoSlug)}/default-reviewers`;
  const userPath = (workspace: string, repoSlug: string, target: string) =>
    `${listPath(workspace, repoSlug)}/${toPathSegment(target, 'target user')}`;
  return {
    list: async (workspace, repoSlug, options) => paginate(http, { path: listPath(workspace, repoSlug) }, accountSchema, options),
    add: async (workspace, repoSlug, targetUsername) =>
      http.sendJson({ method: 'PUT', path: userPath(workspace, repoSlug, targetUsername) }, accountSchema),
    remove: async (workspace, repoSlug, targetUsername) => {
      await http.send({ method: 'DELETE', path: userPath(workspace, repoSlug, targetUsername) });
    },
    listEffective: async (workspace, repoSlug, options) =>
      paginate(
        http,
        { path: `${toRepositoryPath(workspace, repoSlug)}/effective-default-reviewers` },
        effectiveDefaultReviewerSchema,
        options,
      ),
  };
}
