/** In-memory model of the sandbox's Bitbucket. Plain data; serializers turn it into API shapes. */
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
}

export interface User {
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
  taskCount: number;
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
  installedOn: string;
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
  /** Bitbucket comment ids are global integers */
  nextCommentId: number;
}
