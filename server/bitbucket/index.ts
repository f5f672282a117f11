/** Public surface of the Bitbucket Cloud REST 2.0 client. Nothing else in this folder is API. */
export { createBitbucketClient, type BitbucketClient, type BitbucketClientOptions } from './client';
export { createConnectJwtClaims, CONNECT_JWT_TTL_SECONDS, type BitbucketAuth, type ConnectJwtClaims } from './auth';
export type { BitbucketLogger, BitbucketRequestContext } from './logger';
export {
  asBitbucketFailure,
  BadRequestError,
  BitbucketError,
  ConflictError,
  ExternalHostError,
  ForbiddenError,
  isBitbucketFailure,
  isRetryableBitbucketError,
  NotFoundError,
  parseRetryAfter,
  RateLimitedError,
  ResponseShapeError,
  UnauthorizedError,
  UnexpectedStatusError,
  type BitbucketErrorCode,
  type BitbucketFailure,
  type ExternalHostFailure,
  type RequestTarget,
  type ShapeIssue,
} from './errors';
export { DEFAULT_MAX_ITEMS, PAGE_LENGTH, type PaginateOptions } from './paginate';
export { createSemaphore, type Semaphore } from './semaphore';
export {
  BITBUCKET_OPERATIONS,
  type BitbucketEndpoint,
  type BitbucketOperation,
  type BitbucketOperationName,
} from './operations-catalog';
export type {
  BranchRestrictionInput,
  BranchRestrictionsOperations,
  ListBranchRestrictionsOptions,
} from './operations/branch-restrictions';
export type { BranchesOperations, CreateBranchInput, ListBranchesOptions } from './operations/branches';
export type { CommitsOperations, ListCommitsOptions } from './operations/commits';
export type { DefaultReviewersOperations } from './operations/default-reviewers';
export type { MergeOptions, MergeParameters } from './operations/merge-pull-request';
export type { ListPipelinesOptions, PipelinesOperations, TriggerPipelineInput } from './operations/pipelines';
export type { CreateCommentInput, PullRequestCommentsOperations } from './operations/pull-request-comments';
export type { PullRequestHistoryOperations } from './operations/pull-request-history';
export type {
  CreatePullRequestTaskInput,
  ListPullRequestTasksOptions,
  PullRequestTasksOperations,
  UpdatePullRequestTaskInput,
} from './operations/pull-request-tasks';
export type {
  CreatePullRequestInput,
  ListPullRequestsOptions,
  PullRequestsOperations,
  UpdatePullRequestInput,
} from './operations/pull-requests';
export type {
  CreateRepositoryInput,
  ListRepositoriesOptions,
  RepositoriesOperations,
  UpdateRepositoryInput,
} from './operations/repositories';
export type { RepositoryWebhookInput, RepositoryWebhooksOperations } from './operations/repository-webhooks';
export type { SourceOperations } from './operations/source';
export type {
  BuildStatusInput,
  BuildStatusUpdate,
  ListCommitStatusesOptions,
  StatusesOperations,
} from './operations/statuses';
export type { ListUserPermissionsOptions, UsersOperations } from './operations/users';
export type { ListWorkspacePermissionsOptions, WorkspacesOperations } from './operations/workspaces';
export * from './schemas/index';
export { createJwtGrantTokenSource, type JwtGrantOptions } from './jwt-grant';
export { BITBUCKET_SCOPES, expandScopes, missingScopes, isBitbucketScope, type BitbucketScope } from './scopes';
