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
    nextCommentId: 700000001,
  };
}
