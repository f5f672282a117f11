import type { Router } from 'express';
import { z } from 'zod';
import { toRepositorySummary } from '../../serialize/to-repository';
import type { RouteKit } from '../route-kit';

const pipelinesConfigBody = z.looseObject({ enabled: z.boolean({ error: 'enabled: This field is required.' }) });

/**
 * `…/pipelines_config`: whether Pipelines is enabled (the spec's `pipelines_config`, type
 * `repository_pipelines_configuration`); reading and writing both need repository:admin. The
 * sandbox keeps the flag and does not refuse runs of a disabled repository.
 */
export function mountPipelinesConfigRoutes(router: Router, kit: RouteKit): void {
  const { ctx } = kit;
  const path = '/repositories/:workspace/:repo_slug/pipelines_config';
  const toConfig = (repo: ReturnType<RouteKit['repoOf']>) => ({
    type: 'repository_pipelines_configuration',
    enabled: repo.pipelinesEnabled ?? false,
    repository: toRepositorySummary(ctx, repo),
  });

  router.get(path, kit.guard('repository:admin', (req, res) => {
    res.json(toConfig(kit.repoOf(req)));
  }));

  router.put(path, kit.guard('repository:admin', (req, res) => {
    const repo = kit.repoOf(req);
    repo.pipelinesEnabled = kit.parse(pipelinesConfigBody, req.body).enabled;
    res.json(toConfig(repo));
  }));
}
