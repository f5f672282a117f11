import type { HttpTransport } from '../http';
import { toPathSegment } from '../paths';
import { workspaceSchema, type Workspace } from '../schemas/workspace';

export interface WorkspacesOperations {
  /** `GET /2.0/workspaces/{workspace}`; `workspace` is a slug or a `{uuid}`. */
  get(workspace: string): Promise<Workspace>;
}

/** Builds the `workspaces` group of the client. */
export function createWorkspacesOperations(http: HttpTransport): WorkspacesOperations {
  return {
    get: async (workspace) =>
      http.sendJson({ method: 'GET', path: `/workspaces/${toPathSegment(workspace, 'workspace')}` }, workspaceSchema),
  };
}
