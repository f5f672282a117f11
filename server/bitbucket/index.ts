/** Public surface of the Bitbucket Cloud REST 2.0 client. Nothing else in this folder is API. */
export { createBitbucketClient, type BitbucketClient, type BitbucketClientOptions } from './client';
export { createConnectJwtClaims, CONNECT_JWT_TTL_SECONDS, type BitbucketAuth, type ConnectJwtClaims } from './auth';
export type { BitbucketLogger, BitbucketRequestContext } from './logger';
export {
  BadRequestError,
  BitbucketError,
  ConflictError,
  ExternalHostError,
  ForbiddenError,
  isBitbucketError,
  isRetryableBitbucketError,
  NotFoundError,
  parseRetryAfter,
  RateLimitedError,
  ResponseShapeError,
  UnauthorizedError,
  UnexpectedStatusError,
  type ExternalHostFailure,
  type RequestTarget,
  type ShapeIssue,
} from './errors';
export { DEFAULT_MAX_ITEMS, PAGE_LENGTH, type PaginateOptions } from './paginate';
export type { BranchesOperations, ListBranchesOptions } from './operations/branches';
export type { MergeOptions, MergeParameters } from './operations/merge-pull-request';
export type {
  CreateCommentInput,
  CreatePullRequestInput,
  ListPullRequestsOptions,
  PullRequestsOperations,
} from './operations/pull-requests';
export type { ListRepositoriesOptions, RepositoriesOperations } from './operations/repositories';
export type {
  BuildStatusInput,
  BuildStatusUpdate,
  ListCommitStatusesOptions,
  StatusesOperations,
} from './operations/statuses';
export type { UsersOperations } from './operations/users';
export type { WorkspacesOperations } from './operations/workspaces';
export * from './schemas/index';
