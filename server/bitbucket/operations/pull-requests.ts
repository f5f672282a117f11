import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toPullRequestPath, toRepositoryPath } from '../paths';
import {
  participantSchema,
  pullRequestSchema,
  type Participant,
  type PullRequest,
  type PullRequestState,
} from '../schemas/pull-request';
import { mergePullRequest, type MergeOptions, type MergeParameters } from './merge-pull-request';
import { createPullRequestCommentsOperations, type PullRequestCommentsOperations } from './pull-request-comments';
import { createPullRequestHistoryOperations, type PullRequestHistoryOperations } from './pull-request-history';
import { createPullRequestTasksOperations, type PullRequestTasksOperations } from './pull-request-tasks';

export interface ListPullRequestsOptions {
  /** Repeated `state=`; Bitbucket defaults to OPEN only. */
  state?: PullRequestState[];
  /** BBQL filter, e.g. `source.branch.name = "main"`. */
  q?: string;
  sort?: string;
  max?: number;
  /**
   * Lists leave out `participants` and `reviewers` unless asked for with a partial-response
   * `fields=+values.participants,+values.reviewers`, which saves a request per PR
   * (https://developer.atlassian.com/cloud/bitbucket/rest/intro/#partial-response).
   */
  withParticipants?: boolean;
}

type ReviewerRef = { uuid: string } | { account_id: string };

export interface CreatePullRequestInput {
  title: string;
  source: { branch: { name: string } };
  /** Defaults to the repository's main branch. */
  destination?: { branch: { name: string } };
  description?: string;
  close_source_branch?: boolean;
  draft?: boolean;
  reviewers?: ReviewerRef[];
}

/** Fields `PUT …/pullrequests/{id}` may change. `reviewers` replaces the whole list. */
export interface UpdatePullRequestInput {
  title?: string;
  description?: string;
  destination?: { branch: { name: string } };
  reviewers?: ReviewerRef[];
  close_source_branch?: boolean;
  draft?: boolean;
}

export interface PullRequestsOperations
  extends PullRequestCommentsOperations,
    PullRequestTasksOperations,
    PullRequestHistoryOperations {
  /** `GET …/pullrequests`, all pages up to `max`. */
  list(workspace: string, repoSlug: string, options?: ListPullRequestsOptions): Promise<PullRequest[]>;
  /** `GET …/pullrequests/{id}`. */
  get(workspace: string, repoSlug: string, id: number): Promise<PullRequest>;
  /** `POST …/pullrequests` (not retried once sent: a repeat would open a second PR). */
  create(workspace: string, repoSlug: string, input: CreatePullRequestInput): Promise<PullRequest>;
  /** `PUT …/pullrequests/{id}`: changes only the fields given. */
  update(workspace: string, repoSlug: string, id: number, input: UpdatePullRequestInput): Promise<PullRequest>;
  /** Approves as the caller; resolves with the caller's participant entry. */
  approve(workspace: string, repoSlug: string, id: number): Promise<Participant>;
  unapprove(workspace: string, repoSlug: string, id: number): Promise<void>;
  requestChanges(workspace: string, repoSlug: string, id: number): Promise<Participant>;
  removeChangeRequest(workspace: string, repoSlug: string, id: number): Promise<void>;
  /** Declined PRs cannot be reopened: confirm before calling. */
  decline(workspace: string, repoSlug: string, id: number): Promise<PullRequest>;
  merge(workspace: string, repoSlug: string, id: number, params?: MergeParameters, options?: MergeOptions): Promise<PullRequest>;
}

/** Builds the `pullRequests` group of the client. */
export function createPullRequestsOperations(http: HttpTransport): PullRequestsOperations {
  const prPath = toPullRequestPath;
  return {
    ...createPullRequestCommentsOperations(http),
    ...createPullRequestTasksOperations(http),
    ...createPullRequestHistoryOperations(http),
    list: async (workspace, repoSlug, options = {}) =>
      paginate(
        http,
        {
          path: `${toRepositoryPath(workspace, repoSlug)}/pullrequests`,
          query: {
            state: options.state,
            q: options.q,
            sort: options.sort,
            ...(options.withParticipants ? { fields: '+values.participants,+values.reviewers' } : {}),
          },
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
    update: async (workspace, repoSlug, id, input) =>
      http.sendJson({ method: 'PUT', path: prPath(workspace, repoSlug, id), body: input }, pullRequestSchema),
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
  };
}
