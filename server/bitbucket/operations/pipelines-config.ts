import type { HttpTransport } from '../http';
import { toRepositoryPath } from '../paths';
import { pipelinesConfigSchema, type PipelinesConfig } from '../schemas/pipelines-config';

export interface PipelinesConfigOperations {
  /** `GET …/pipelines_config` (needs repository:admin): whether Pipelines is enabled. */
  get(workspace: string, repoSlug: string): Promise<PipelinesConfig>;
  /** `PUT …/pipelines_config`: enables or disables Pipelines; the same answer for a repeat, so it is retried. */
  update(workspace: string, repoSlug: string, input: { enabled: boolean }): Promise<PipelinesConfig>;
}

/** Builds the `pipelinesConfig` group of the client. */
export function createPipelinesConfigOperations(http: HttpTransport): PipelinesConfigOperations {
  const path = (workspace: string, repoSlug: string) => `${toRepositoryPath(workspace, repoSlug)}/pipelines_config`;
  return {
    get: async (workspace, repoSlug) => http.sendJson({ method: 'GET', path: path(workspace, repoSlug) }, pipelinesConfigSchema),
    update: async (workspace, repoSlug, input) =>
      http.sendJson({ method: 'PUT', path: path(workspace, repoSlug), body: { enabled: input.enabled } }, pipelinesConfigSchema),
  };
}
