import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toPathSegment, toPullRequestPath, toRepositoryPath } from '../paths';
import { pullRequestCommentSchema, type PullRequestComment } from '../schemas/comment';
import { commitStatusSchema, type CommitStatus } from '../schemas/commit-status';
import {
  participantSchema,
  pullRequestSchema,
  type Participant,
  type PullRequest,
  type PullRequestState,
} from '../schemas/pull-request';
import { mergePullRequest, type MergeOptions, type MergeParameters } from './merge-pull-request';

export interface ListPullRequestsOptions {
  /** Repeated `state=`; Bitbucket defaults to OPEN only. */
  state?: PullRequestState[];
  /** BBQL filter, e.g. `source.branch.name = "main"`. */
  q?: string;
  sort?: string;
  max?: number;
}

export interface CreatePullRequestInput {
  title: string;
  source: { branch: { name: string } };
  /** Defaults to the repository's main branch. */
  destination?: { branch: { name: string } };
  description?: string;
  close_source_branch?: boolean;
  draft?: boolean;
  reviewers?: Array<{ uuid: string } | { account_id: string }>;
}

export interface CreateCommentInput {
  content: { raw: string };
  parent?: { id: number };
  inline?: { path: string; from?: number; to?: number };
}

export interface PullRequestsOperations {
  list(workspace: string, repoSlug: string, options?: ListPullRequestsOptions): Promise<PullRequest[]>;
  get(workspace: string, repoSlug: string, id: number): Promise<PullRequest>;
  create(workspace: string, repoSlug: string, input: CreatePullRequestInput): Promise<PullRequest>;
  /** Approves as the caller; resolves with the caller's participant entry. */
  approve(workspace: string, repoSlug: string, id: number): Promise<Participant>;
  unapprove(workspace: string, repoSlug: string, id: number): Promise<void>;
  requestChanges(workspace: string, repoSlug: string, id: number): Promise<Participant>;
  removeChangeRequest(workspace: string, repoSlug: string, id: number): Promise<void>;
  /** Declined PRs cannot be reopened: confirm before calling. */
  decline(workspace: string, repoSlug: string, id: number): Promise<PullRequest>;
  merge(workspace: string, repoSlug: string, id: number, params?: MergeParameters, options?: MergeOptions): Promise<PullRequest>;
  listStatuses(workspace: string, repoSlug: string, id: number, options?: { max?: number }): Promise<CommitStatus[]>;
  listComments(workspace: string, repoSlug: string, id: number, options?: { q?: string; max?: number }): Promise<PullRequestComment[]>;
  createComment(workspace: string, repoSlug: string, id: number, input: CreateCommentInput): Promise<PullRequestComment>;
  /** Edits a comment in place (for sticky comments found by a hidden marker). */
  updateComment(workspace: string, repoSlug: string, id: number, commentId: number, input: { content: { raw: string } }): Promise<PullRequestComment>;
}

/** Builds the `pullRequests` group of the client. */
export function createPullRequestsOperations(http: HttpTransport): PullRequestsOperations {
  const prPath = toPullRequestPath;
  return {
    list: async (workspace, repoSlug, options = {}) =>
      paginate(
        http,
        {
          path: `${toRepositoryPath(workspace, repoSlug)}/pullrequests`,
          query: { state: options.state, q: options.q, sort: options.sort },
        },
        pullRequestSchema,
        { max: options.max },
      ),
    get: async (workspace, repoSlug, id) =>
      http.sendJson({ method: 'GET', path: prPath(workspace, repoSlug, id) }, pullRequestSchema),
    create: async (workspace, repoSlug, input) =>
      http.sendJson(
        { method: 'POST', path: `${toRepositoryPath(workspace, repoSlug)}/pullrequests`, body: input },
        pullRequestSchema,
      ),
    approve: async (workspace, repoSlug, id) =>
      http.sendJson({ method: 'POST', path: `${prPath(workspace, repoSlug, id)}/approve` }, participantSchema),
    unapprove: async (workspace, repoSlug, id) => {
      await http.send({ method: 'DELETE', path: `${prPath(workspace, repoSlug, id)}/approve` });
    },
    requestChanges: async (workspace, repoSlug, id) =>
      http.sendJson({ method: 'POST', path: `${prPath(workspace, repoSlug, id)}/request-changes` }, participantSchema),
    removeChangeRequest: async (workspace, repoSlug, id) => {
      await http.send({ method: 'DELETE', path: `${prPath(workspace, repoSlug, id)}/request-changes` });
    },
    decline: async (workspace, repoSlug, id) =>
      http.sendJson({ method: 'POST', path: `${prPath(workspace, repoSlug, id)}/decline` }, pullRequestSchema),
    merge: async (workspace, repoSlug, id, params = {}, options = {}) =>
      mergePullRequest(http, prPath(workspace, repoSlug, id), params, options),
    listStatuses: async (workspace, repoSlug, id, options = {}) =>
      paginate(http, { path: `${prPath(workspace, repoSlug, id)}/statuses` }, commitStatusSchema, options),
    listComments: async (workspace, repoSlug, id, options = {}) =>
      paginate(
        http,
        { path: `${prPath(workspace, repoSlug, id)}/comments`, query: { q: options.q } },
        pullRequestCommentSchema,
        { max: options.max },
      ),
    createComment: async (workspace, repoSlug, id, input) =>
      http.sendJson(
        { method: 'POST', path: `${prPath(workspace, repoSlug, id)}/comments`, body: input },
        pullRequestCommentSchema,
      ),
    updateComment: async (workspace, repoSlug, id, commentId, input) =>
      http.sendJson(
        {
          method: 'PUT',
          path: `${prPath(workspace, repoSlug, id)}/comments/${toPathSegment(commentId, 'comment id')}`,
          body: input,
        },
        pullRequestCommentSchema,
      ),
  };
}
