import type { Router } from 'express';
import { toBranch } from '../../serialize/to-commit';
import { getCommit } from '../../state/lookups';
import { SandboxError } from '../../state/sandbox-error';
import type { Branch } from '../../state/types';
import * as bodies from '../body-schemas';
import { filterByQuery, sortByQuery } from '../bbql';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

export function mountBranchRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state, actions } = kit;
  const base = '/repositories/:workspace/:repo_slug/refs/branches';

  router.get(base, kit.guard('repository', (req, res) => {
    const repo = kit.repoOf(req);
    const fields = { name: (b: Branch) => b.name, 'target.hash': (b: Branch) => b.target };
    let branches = filterByQuery(state.branches.filter((b) => b.repoUuid === repo.uuid), req.query.q, fields);
    branches = sortByQuery(branches.sort((a, b) => a.name.localeCompare(b.name)), req.query.sort, fields);
    res.json(paginate(req, ctx.apiBaseUrl, branches.map((b) => toBranch(ctx, repo, b.name, getCommit(state, repo, b.target)))));
  }));

  router.post(base, kit.guard('repository:write', (req, res, p) => {
    const repo = kit.repoOf(req);
    const body = kit.parse(bodies.branchCreateBody, req.body);
    const { name, commit } = actions.createBranch({ ...kit.repoRef(req), actor: kit.actorOf(p), name: body.name, target: body.target.hash });
    res.status(201).json(toBranch(ctx, repo, name, commit));
  }));

  router.get(`${base}/:name`, kit.guard('repository', (req, res) => {
    const repo = kit.repoOf(req);
    const b = state.branches.find((x) => x.repoUuid === repo.uuid && x.name === req.params.name);
    if (!b) throw new SandboxError(404, `Branch not found: ${String(req.params.name)}`);
    res.json(toBranch(ctx, repo, b.name, getCommit(state, repo, b.target)));
  }));

  router.delete(`${base}/:name`, kit.guard('repository:write', (req, res, p) => {
    actions.deleteBranch({ ...kit.repoRef(req), actor: kit.actorOf(p), name: String(req.params.name) });
    res.status(204).end();
  }));
}
