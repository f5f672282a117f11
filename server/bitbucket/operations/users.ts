import type { HttpTransport } from '../http';
import { paginate, type PaginateOptions } from '../paginate';
import { currentUserSchema, userEmailSchema, type CurrentUser, type UserEmail } from '../schemas/user';

export interface UsersOperations {
  /** `GET /2.0/user`: who the credentials act as. */
  getCurrent(): Promise<CurrentUser>;
  /** `GET /2.0/user/emails` (needs the `email` scope); confirmed and unconfirmed addresses. */
  listEmails(options?: PaginateOptions): Promise<UserEmail[]>;
}

/** Builds the `users` group of the client. */
export function createUsersOperations(http: HttpTransport): UsersOperations {
  return {
    getCurrent: async () => http.sendJson({ method: 'GET', path: '/user' }, currentUserSchema),
    listEmails: async (options) => paginate(http, { path: '/user/emails' }, userEmailSchema, options),
  };
}
