import type { Router } from 'express';
import { toRepository } from '../../serialize/to-repository';
import { findWorkspace, getWorkspace } from '../../state/lookups';
import type { Repository } from '../../state/types';
import * as bodies from '../body-schemas';
import { filterByQuery, sortByQuery } from '../bbql';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

export function mountRepositoryRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state, actions } = kit;

  router.get('/repositories/:workspace', kit.guard('repository', (req, res) => {
    const ws = getWorkspace(state, String(req.params.workspace));
    const fields = {
      name: (r: Repository) => r.name,
      slug: (r: Repository) => r.slug,
      full_name: (r: Repository) => `${ws.slug}/${r.slug}`,
      created_on: (r: Repository) => r.createdOn,
      updated_on: (r: Repository) => r.updatedOn,
    };
    let repos = filterByQuery(state.repositories.filter((r) => r.workspaceUuid === ws.uuid), req.query.q, fields);
    repos = sortByQuery(repos, req.query.sort, fields);
    res.json(paginate(req, ctx.apiBaseUrl, repos.map((r) => toRepository(ctx, r))));
  }));

  router.get('/repositories/:workspace/:repo_slug', kit.guard('repository', (req, res) => {
    res.json(toRepository(ctx, kit.repoOf(req)));
  }));

  // The spec answers 200 (not 201) for a created repository.
  router.post('/repositories/:workspace/:repo_slug', kit.guard('repository:admin', (req, res, p) => {
    const body = kit.parse(bodies.repositoryBody, req.body) ?? {};
    const repo = actions.createRepository({
      workspace: String(req.params.workspace), slug: String(req.params.repo_slug), actor: kit.actorOf(p),
      name: body.name, description: body.description, isPrivate: body.is_private, language: body.language, mainbranch: body.mainbranch?.name,
    });
    res.status(200).json(toRepository(ctx, repo));
  }, { resolve: 'workspace' }));

  router.put('/repositories/:workspace/:repo_slug', kit.guard('repository:admin', (req, res, p) => {
    const body = kit.parse(bodies.repositoryBody, req.body) ?? {};
    const ws = findWorkspace(state, String(req.params.workspace))!;
    const slug = String(req.params.repo_slug);
    const exists = state.repositories.some((r) => r.workspaceUuid === ws.uuid && (r.slug === slug || r.uuid === slug));
    const fields = { name: body.name, description: body.description, isPrivate: body.is_private, language: body.language, mainbranch: body.mainbranch?.name };
    const repo = exists
      ? actions.updateRepository({ workspace: ws.uuid, repo: slug, actor: kit.actorOf(p), ...fields })
      : actions.createRepository({ workspace: ws.uuid, slug, actor: kit.actorOf(p), ...fields });
    const json = toRepository(ctx, repo);
    res.status(exists ? 200 : 201).location((json.links as { self: { href: string } }).self.href).json(json);
  }, { resolve: 'workspace' }));
}
