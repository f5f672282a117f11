/** In-memory model of the sandbox's Bitbucket. Plain data; serializers turn it into API shapes. */
import type { OAuthState } from '../oauth/types';

export type PullRequestState = 'OPEN' | 'MERGED' | 'DECLINED';
export type CommitStatusState = 'INPROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'STOPPED';
export type ParticipantRole = 'PARTICIPANT' | 'REVIEWER';
export type ParticipantState = 'approved' | 'changes_requested' | null;

export interface Workspace {
  uuid: string;
  slug: string;
  name: string;
  isPrivate: boolean;
  createdOn: string;
  /** nicknames of members; admins may install apps */
  members: string[];
  admins: string[];
  /**
   * Members who may only read its repositories: Bitbucket lists them with the workspace permission
   * `collaborator` (access through repositories, not a group) and repository permission `read`.
   */
  readOnly?: string[];
}

export interface User {
  /** 'app_user' for the bot account Bitbucket creates for each installed app */
  kind?: 'user' | 'app_user';
  uuid: string;
  accountId: string;
  nickname: string;
  displayName: string;
  email: string;
  createdOn: string;
}

export interface Repository {
  uuid: string;
  workspaceUuid: string;
  slug: string;
  name: string;
  description: string;
  isPrivate: boolean;
  mainbranch: string;
  language: string;
  createdOn: string;
  updatedOn: string;
  /** `…/pipelines_config` `enabled`; absent is off, as for a new repository. */
  pipelinesEnabled?: boolean;
}

export interface Branch {
  repoUuid: string;
  name: string;
  target: string;
}

export interface Commit {
  repoUuid: string;
  hash: string;
  parents: string[];
  message: string;
  authorUuid: string;
  date: string;
  /** Full snapshot of the files at this commit: path -> text content. */
  tree: Record<string, string>;
}

export interface Participant {
  userUuid: string;
  role: ParticipantRole;
  approved: boolean;
  state: ParticipantState;
  participatedOn: string | null;
}

export interface PullRequest {
  repoUuid: string;
  id: number;
  title: string;
  description: string;
  state: PullRequestState;
  draft: boolean;
  authorUuid: string;
  source: { branch: string; hash: string };
  destination: { branch: string; hash: string };
  reviewerUuids: string[];
  participants: Participant[];
  closeSourceBranch: boolean;
  mergeCommit: string | null;
  closedByUuid: string | null;
  reason: string;
  createdOn: string;
  updatedOn: string;
}

export interface PullRequestComment {
  repoUuid: string;
  prId: number;
  id: number;
  userUuid: string;
  raw: string;
  createdOn: string;
  updatedOn: string;
  /** Bitbucket keeps deleted comments in lists with `deleted: true` and empty content. */
  deleted: boolean;
  parentId: number | null;
  inline: { path: string; from?: number; to?: number } | null;
}

export type TaskState = 'RESOLVED' | 'UNRESOLVED';

export interface PullRequestTask {
  repoUuid: string;
  prId: number;
  id: number;
  creatorUuid: string;
  raw: string;
  state: TaskState;
  pending: boolean;
  commentId: number | null;
  createdOn: string;
  updatedOn: string;
  resolvedOn: string | null;
  resolvedByUuid: string | null;
}

/** One `update` entry of a PR's activity log (creation, edits, state changes). */
export interface PullRequestUpdate {
  repoUuid: string;
  prId: number;
  date: string;
  authorUuid: string;
  state: PullRequestState;
  title: string;
  description: string;
  reason: string;
  sourceBranch: string;
  destinationBranch: string;
}

export interface DefaultReviewer {
  repoUuid: string;
  userUuid: string;
}

export const BRANCH_RESTRICTION_KINDS = [
  'push', 'delete', 'force', 'restrict_merges', 'require_tasks_to_be_completed', 'require_approvals_to_merge',
  'require_review_group_approvals_to_merge', 'require_default_reviewer_approvals_to_merge', 'require_no_changes_requested',
  'require_passing_builds_to_merge', 'require_commits_behind', 'reset_pullrequest_approvals_on_change',
  'smart_reset_pullrequest_approvals', 'reset_pullrequest_changes_requested_on_change', 'require_all_dependencies_merged',
  'enforce_merge_checks', 'allow_auto_merge_when_builds_pass', 'require_all_comments_resolved',
] as const;
export type BranchRestrictionKind = (typeof BRANCH_RESTRICTION_KINDS)[number];
export const BRANCH_TYPES = ['feature', 'bugfix', 'release', 'hotfix', 'development', 'production'] as const;
export type BranchType = (typeof BRANCH_TYPES)[number];

export interface BranchRestriction {
  repoUuid: string;
  id: number;
  kind: BranchRestrictionKind;
  branchMatchKind: 'glob' | 'branching_model';
  pattern: string;
  branchType: BranchType | null;
  value: number | null;
  userUuids: string[];
  groupSlugs: string[];
}

export interface RepositoryWebhook {
  repoUuid: string;
  /** braced uuid */
  uuid: string;
  url: string;
  description: string;
  active: boolean;
  events: string[];
  secret: string | null;
  createdAt: string;
}

export type PipelineStateName = 'PENDING' | 'IN_PROGRESS' | 'COMPLETED';
export type PipelineResultName = 'SUCCESSFUL' | 'FAILED' | 'STOPPED';

export interface PipelineStep {
  uuid: string;
  name: string;
  state: 'PENDING' | 'IN_PROGRESS' | 'COMPLETED';
  result: PipelineResultName | 'NOT_RUN' | null;
  startedOn: string | null;
  completedOn: string | null;
  log: string[];
}

export interface Pipeline {
  repoUuid: string;
  uuid: string;
  buildNumber: number;
  creatorUuid: string;
  refName: string;
  commitHash: string;
  selector: { type: 'branches' | 'default' | 'custom'; pattern: string | null };
  variables: Array<{ key: string; value: string; secured: boolean }>;
  state: PipelineStateName;
  result: PipelineResultName | null;
  terminatorUuid: string | null;
  createdOn: string;
  completedOn: string | null;
  steps: PipelineStep[];
}

export interface MergeTask {
  id: string;
  repoUuid: string;
  prId: number;
  actorUuid: string;
  status: 'PENDING' | 'SUCCESS' | 'FAILED';
  error: { status: number; message: string } | null;
}

export interface CommitStatus {
  uuid: string;
  repoUuid: string;
  commitHash: string;
  key: string;
  name: string;
  state: CommitStatusState;
  url: string;
  description: string;
  refname: string | null;
  createdOn: string;
  updatedOn: string;
}

export interface ConnectModule {
  key: string;
  url?: string;
  location?: string;
  name?: { value: string };
  [k: string]: unknown;
}

export interface ConnectDescriptor {
  key: string;
  name?: string;
  description?: string;
  baseUrl: string;
  lifecycle?: { installed?: string; uninstalled?: string };
  scopes?: string[];
  modules?: {
    webhooks?: Array<{ event: string; url: string }>;
    webPanels?: ConnectModule[];
    repoPages?: ConnectModule[];
    adminPages?: ConnectModule[];
    configurePage?: ConnectModule | ConnectModule[];
    profileTabs?: ConnectModule[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface Installation {
  clientKey: string;
  key: string;
  workspaceUuid: string;
  sharedSecret: string;
  descriptorUrl: string;
  descriptor: ConnectDescriptor;
  installedByUuid: string;
  /** The app's own bot account: JWT-authenticated writes are attributed to it. */
  appUserUuid: string;
  installedOn: string;
}

/** A Code Insights report on a commit; `externalId` is the id its creator PUT it under. */
export interface CodeInsightsReport {
  uuid: string;
  repoUuid: string;
  commitHash: string;
  externalId: string;
  title: string;
  details: string;
  reportType: string;
  result: string | null;
  reporter: string | null;
  link: string | null;
  logoUrl: string | null;
  data: unknown[];
  annotations: CodeInsightsAnnotation[];
  createdOn: string;
  updatedOn: string;
}

export interface CodeInsightsAnnotation {
  uuid: string;
  externalId: string;
  annotationType: string;
  summary: string;
  details: string | null;
  path: string | null;
  line: number | null;
  result: string | null;
  severity: string | null;
  link: string | null;
  createdOn: string;
  updatedOn: string;
}

export interface SandboxState {
  workspaces: Workspace[];
  users: User[];
  repositories: Repository[];
  branches: Branch[];
  commits: Commit[];
  pullRequests: PullRequest[];
  comments: PullRequestComment[];
  statuses: CommitStatus[];
  installations: Installation[];
  /** OAuth consumers, codes, tokens and consents (sandbox/oauth/). */
  oauth: OAuthState;
  tasks: PullRequestTask[];
  prUpdates: PullRequestUpdate[];
  defaultReviewers: DefaultReviewer[];
  branchRestrictions: BranchRestriction[];
  repositoryWebhooks: RepositoryWebhook[];
  pipelines: Pipeline[];
  mergeTasks: MergeTask[];
  /** Code Insights reports on commits, with their annotations (sandbox/rest/routes/reports.ts). */
  reports: CodeInsightsReport[];
  /** Bitbucket comment ids are global integers */
  nextCommentId: number;
  nextTaskId: number;
  nextRestrictionId: number;
}
