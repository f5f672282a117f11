export { errorBodySchema, type ErrorBody } from './error-body';
export { accountSchema, linkSchema, pageSchema, type Account } from './common';
export { currentUserSchema, userEmailSchema, type CurrentUser, type UserEmail } from './user';
export { workspaceSchema, type Workspace } from './workspace';
export { repositorySchema, repositorySummarySchema, type Repository, type RepositorySummary } from './repository';
export { branchSchema, mergeStrategySchema, type Branch, type MergeStrategy } from './branch';
export {
  participantSchema,
  pullRequestEndpointSchema,
  pullRequestSchema,
  pullRequestStateSchema,
  type Participant,
  type PullRequest,
  type PullRequestEndpoint,
  type PullRequestState,
} from './pull-request';
export { commitStatusSchema, commitStatusStateSchema, type CommitStatus, type CommitStatusState } from './commit-status';
export { pullRequestCommentSchema, type PullRequestComment } from './comment';
export { mergeTaskStatusSchema, type MergeTaskStatus } from './merge-task';
