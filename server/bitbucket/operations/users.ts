import type { HttpTransport } from '../http';
import { paginate, type PaginateOptions } from '../paginate';
import { repositoryPermissionSchema, type RepositoryPermission } from '../schemas/permission';
import { currentUserSchema, userEmailSchema, type CurrentUser, type UserEmail } from '../schemas/user';
import { workspaceMembershipSchema, type WorkspaceMembership } from '../schemas/workspace';

export interface ListUserPermissionsOptions {
  /** BBQL filter, e.g. `repository.full_name = "acme/web"` or `permission = "admin"`. */
  q?: string;
  sort?: string;
  max?: number;
}

export interface UsersOperations {
  /** `GET /2.0/user`: who the credentials act as. */
  getCurrent(): Promise<CurrentUser>;
  /** `GET /2.0/user/emails` (needs the `email` scope); confirmed and unconfirmed addresses. */
  listEmails(options?: PaginateOptions): Promise<UserEmail[]>;
  /** `GET /2.0/user/permissions/repositories`: the caller's permission on each repository it can see. */
  listRepositoryPermissions(options?: ListUserPermissionsOptions): Promise<RepositoryPermission[]>;
  /** `GET /2.0/user/permissions/workspaces`: the caller's workspaces with its permission in each. */
  listWorkspacePermissions(options?: ListUserPermissionsOptions): Promise<WorkspaceMembership[]>;
}

/** Builds the `users` group of the client. */
export function createUsersOperations(http: HttpTransport): UsersOperations {
  return {
    getCurrent: async () => http.sendJson({ method: 'GET', path: '/user' }, currentUserSchema),
    listEmails: async (options) => paginate(http, { path: '/user/emails' }, userEmailSchema, options),
    listRepositoryPermissions: async (options = {}) =>
      paginate(
        http,
        { path: '/user/permissions/repositories', query: { q: options.q, sort: options.sort } },
        repositoryPermissionSchema,
        { max: options.max },
      ),
    listWorkspacePermissions: async (options = {}) =>
      paginate(
        http,
        { path: '/user/permissions/workspaces', query: { q: options.q, sort: options.sort } },
        workspaceMembershipSchema,
        { max: options.max },
      ),
  };
}
