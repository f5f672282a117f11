import type { HttpTransport } from '../http';
import { paginate, type PaginateOptions } from '../paginate';
import { toPathSegment } from '../paths';
import { workspaceMembershipSchema, workspaceSchema, type Workspace, type WorkspaceMembership } from '../schemas/workspace';

export interface ListWorkspacePermissionsOptions {
  /** BBQL filter, e.g. `permission = "owner"`. */
  q?: string;
  max?: number;
}

export interface WorkspacesOperations {
  /** `GET /2.0/workspaces/{workspace}`; `workspace` is a slug or a `{uuid}`. */
  get(workspace: string): Promise<Workspace>;
  /** `GET /2.0/workspaces/{workspace}/members`, all pages up to `max`. */
  listMembers(workspace: string, options?: PaginateOptions): Promise<WorkspaceMembership[]>;
  /** `GET /2.0/workspaces/{workspace}/members/{member}`; `member` is a `{uuid}` or an account_id. */
  getMember(workspace: string, member: string): Promise<WorkspaceMembership>;
  /** `GET /2.0/workspaces/{workspace}/permissions`: each member with `permission` (owner|collaborator|member). */
  listPermissions(workspace: string, options?: ListWorkspacePermissionsOptions): Promise<WorkspaceMembership[]>;
}

/** Builds the `workspaces` group of the client. */
export function createWorkspacesOperations(http: HttpTransport): WorkspacesOperations {
  const workspacePath = (workspace: string) => `/workspaces/${toPathSegment(workspace, 'workspace')}`;
  return {
    get: async (workspace) => http.sendJson({ method: 'GET', path: workspacePath(workspace) }, workspaceSchema),
    listMembers: async (workspace, options) =>
      paginate(http, { path: `${workspacePath(workspace)}/members` }, workspaceMembershipSchema, options),
    getMember: async (workspace, member) =>
      http.sendJson(
        { method: 'GET', path: `${workspacePath(workspace)}/members/${toPathSegment(member, 'member')}` },
        workspaceMembershipSchema,
      ),
    listPermissions: async (workspace, options = {}) =>
      paginate(
        http,
        { path: `${workspacePath(workspace)}/permissions`, query: { q: options.q } },
        workspaceMembershipSchema,
        { max: options.max },
      ),
  };
}
