export { errorBodySchema, type ErrorBody } from './error-body';
export { accountSchema, linkSchema, openEnum, pageSchema, type Account } from './common';
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
export { workspaceMembershipSchema, type WorkspaceMembership } from './workspace';
export {
  repositoryPermissionLevelSchema,
  repositoryPermissionSchema,
  type RepositoryPermission,
  type RepositoryPermissionLevel,
} from './permission';
export { commitSchema, type Commit } from './commit';
export {
  diffstatSchema,
  pullRequestActivitySchema,
  pullRequestTaskSchema,
  pullRequestTaskStateSchema,
  type Diffstat,
  type PullRequestActivity,
  type PullRequestTask,
  type PullRequestTaskState,
} from './pull-request-activity';
export { effectiveDefaultReviewerSchema, type EffectiveDefaultReviewer } from './default-reviewer';
export {
  BRANCH_RESTRICTION_KINDS,
  branchRestrictionSchema,
  type BranchMatchKind,
  type BranchRestriction,
  type BranchRestrictionKind,
  type BranchType,
} from './branch-restriction';
export { webhookSubscriptionSchema, type WebhookSubscription } from './webhook-subscription';
export {
  pipelineResultSchema,
  pipelineSchema,
  pipelineSelectorSchema,
  pipelineStateSchema,
  pipelineStepSchema,
  pipelineTargetSchema,
  type Pipeline,
  type PipelineState,
  type PipelineStep,
} from './pipeline';
