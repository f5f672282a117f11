import type { Repository, User, Workspace } from '../state/types';
import { type ApiContext, toApiUrl, toLink } from './api-context';
import { toUser, toWorkspace } from './to-account';
import { toRepositorySummary } from './to-repository';

export type WorkspacePermission = 'owner' | 'collaborator' | 'member';
export type RepositoryPermission = 'admin' | 'write' | 'read';

/**
 * owner: a workspace admin; collaborator: reaches the workspace through repository access only
 * (here: read-only members); member: everyone else.
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-workspaces/#api-workspaces-workspace-permissions-get
 */
export function toWorkspacePermission(ws: Workspace, user: User): WorkspacePermission {
  if (ws.admins.includes(user.nickname)) return 'owner';
  return ws.readOnly?.includes(user.nickname) ? 'collaborator' : 'member';
}

/** Workspace admins administer every repository; read-only members read; other members may write. */
export function toRepositoryPermission(ws: Workspace, user: User): RepositoryPermission {
  if (ws.admins.includes(user.nickname)) return 'admin';
  return ws.readOnly?.includes(user.nickname) ? 'read' : 'write';
}

export function toWorkspaceMembership(ctx: ApiContext, ws: Workspace, user: User, withPermission: boolean): Record<string, unknown> {
  return {
    type: 'workspace_membership',
    ...(withPermission ? { permission: toWorkspacePermission(ws, user) } : {}),
    user: toUser(ctx, user),
    workspace: toWorkspace(ctx, ws),
    added_on: ws.createdOn,
    links: { self: toLink(toApiUrl(ctx, `/workspaces/${ws.slug}/members/${encodeURIComponent(user.uuid)}`)) },
  };
}

export function toRepositoryPermissionEntry(ctx: ApiContext, ws: Workspace, repo: Repository, user: User): Record<string, unknown> {
  return { type: 'repository_permission', permission: toRepositoryPermission(ws, user), user: toUser(ctx, user), repository: toRepositorySummary(ctx, repo) };
}
