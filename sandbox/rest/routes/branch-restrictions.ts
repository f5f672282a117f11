import type { Router } from 'express';
import { findRestriction } from '../../actions/settings-actions';
import { toBranchRestriction } from '../../serialize/to-settings';
import * as bodies from '../body-schemas';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

export function mountBranchRestrictionRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state, actions } = kit;
  const base = '/repositories/:workspace/:repo_slug/branch-restrictions';

  router.get(base, kit.guard('repository:admin', (req, res) => {
    const repo = kit.repoOf(req);
    const kind = typeof req.query.kind === 'string' ? req.query.kind : undefined;
    const pattern = typeof req.query.pattern === 'string' ? req.query.pattern : undefined;
    const list = state.branchRestrictions.filter((r) => r.repoUuid === repo.uuid && (!kind || r.kind === kind) && (!pattern || r.pattern === pattern));
    res.json(paginate(req, ctx.apiBaseUrl, list.map((r) => toBranchRestriction(ctx, repo, r))));
  }));

  router.post(base, kit.guard('repository:admin', (req, res) => {
    const repo = kit.repoOf(req);
    const body = kit.parse(bodies.branchRestrictionBody, req.body);
    const r = actions.createBranchRestriction(kit.repoRef(req), {
      kind: body.kind, branchMatchKind: body.branch_match_kind, pattern: body.pattern, branchType: body.branch_type, value: body.value,
      users: body.users?.map(bodies.toUserRefString), groups: body.groups?.map((g) => g.slug),
    });
    res.status(201).json(toBranchRestriction(ctx, repo, r));
  }));

  router.get(`${base}/:id`, kit.guard('repository:admin', (req, res) => {
    const repo = kit.repoOf(req);
    res.json(toBranchRestriction(ctx, repo, findRestriction(state, repo, kit.intParam(req, 'id', 'branch restriction'))));
  }));

  router.put(`${base}/:id`, kit.guard('repository:admin', (req, res) => {
    const repo = kit.repoOf(req);
    const body = kit.parse(bodies.branchRestrictionUpdateBody, req.body);
    const r = actions.updateBranchRestriction(kit.repoRef(req), kit.intParam(req, 'id', 'branch restriction'), {
      kind: body.kind, branchMatchKind: body.branch_match_kind, pattern: body.pattern, branchType: body.branch_type, value: body.value,
      users: body.users?.map(bodies.toUserRefString), groups: body.groups?.map((g) => g.slug),
    });
    res.json(toBranchRestriction(ctx, repo, r));
  }));

  router.delete(`${base}/:id`, kit.guard('repository:admin', (req, res) => {
    actions.deleteBranchRestriction(kit.repoRef(req), kit.intParam(req, 'id', 'branch restriction'));
    res.status(204).end();
  }));
}
