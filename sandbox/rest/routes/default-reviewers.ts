import type { Router } from 'express';
import { toUser } from '../../serialize/to-account';
import { toEffectiveDefaultReviewer } from '../../serialize/to-settings';
import { getUser, getUserByUuid } from '../../state/lookups';
import { SandboxError } from '../../state/sandbox-error';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

/** Managing default reviewers needs repository:admin; reading them, pullrequest. */
export function mountDefaultReviewerRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state, actions } = kit;
  const base = '/repositories/:workspace/:repo_slug/default-reviewers';
  const reviewersOf = (repoUuid: string) => state.defaultReviewers.filter((d) => d.repoUuid === repoUuid).map((d) => getUserByUuid(state, d.userUuid));

  router.get(base, kit.guard('repository:admin', (req, res) => {
    const repo = kit.repoOf(req);
    res.json(paginate(req, ctx.apiBaseUrl, reviewersOf(repo.uuid).map((u) => toUser(ctx, u))));
  }));

  router.get(`${base}/:target_username`, kit.guard('repository:admin', (req, res) => {
    const repo = kit.repoOf(req);
    const user = getUser(state, String(req.params.target_username));
    if (!reviewersOf(repo.uuid).some((u) => u.uuid === user.uuid)) throw new SandboxError(404, `${user.displayName} is not a default reviewer of this repository.`);
    res.json(toUser(ctx, user));
  }));

  router.put(`${base}/:target_username`, kit.guard('repository:admin', (req, res) => {
    const user = actions.addDefaultReviewer(kit.repoRef(req), String(req.params.target_username));
    res.json(toUser(ctx, user));
  }));

  router.delete(`${base}/:target_username`, kit.guard('repository:admin', (req, res) => {
    actions.removeDefaultReviewer(kit.repoRef(req), String(req.params.target_username));
    res.status(204).end();
  }));

  router.get('/repositories/:workspace/:repo_slug/effective-default-reviewers', kit.guard('pullrequest', (req, res) => {
    const repo = kit.repoOf(req);
    res.json(paginate(req, ctx.apiBaseUrl, reviewersOf(repo.uuid).map((u) => toEffectiveDefaultReviewer(ctx, u))));
  }));
}
