import { createEmptyOAuthState } from '../oauth/types';
import type { SandboxState } from './types';

export function createEmptyState(): SandboxState {
  return {
    workspaces: [],
    users: [],
    repositories: [],
    branches: [],
    commits: [],
    pullRequests: [],
    comments: [],
    statuses: [],
    installations: [],
    oauth: createEmptyOAuthState(),
    tasks: [],
    prUpdates: [],
    defaultReviewers: [],
    branchRestrictions: [],
    repositoryWebhooks: [],
    pipelines: [],
    mergeTasks: [],
    reports: [],
    nextCommentId: 700000001,
    nextTaskId: 40000001,
    nextRestrictionId: 1001,
  };
}
