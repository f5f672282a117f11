import type { Router } from 'express';
import { toUserProfile } from '../../serialize/to-account';
import { toRepositoryPermission, toRepositoryPermissionEntry, toWorkspaceMembership, toWorkspacePermission } from '../../serialize/to-membership';
import { toFullName } from '../../serialize/to-repository';
import type { Repository, User, Workspace } from '../../state/types';
import { canAccessWorkspace, hasGrantedScope, type Principal } from '../authenticate';
import { filterByQuery, sortByQuery } from '../bbql';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';
import { SCOPE_MESSAGE } from '../route-kit';
import { sendError } from '../send-error';

/** /user and /user/*: these need a person, so an app JWT answers 401. */
export function mountUserRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state } = kit;
  const workspacesOf = (p: Principal, user: User): Workspace[] =>
    state.workspaces.filter((w) => w.members.includes(user.nickname) && canAccessWorkspace(p, w.uuid));

  router.get('/user', kit.guard(null, (_req, res, p) => {
    const { user } = kit.requireUser(p);
    if (!hasGrantedScope(p, 'account')) return sendError(res, 403, SCOPE_MESSAGE, { required: ['account'], granted: p.granted });
    res.json(toUserProfile(ctx, user));
  }));

  router.get('/user/emails', kit.guard('email', (req, res, p) => {
    const { user } = kit.requireUser(p);
    const emails = user.email ? [{ type: 'email', email: user.email, is_primary: true, is_confirmed: true, links: {} }] : [];
    res.json(paginate(req, ctx.apiBaseUrl, emails));
  }));

  router.get('/user/permissions/workspaces', kit.guard('account', (req, res, p) => {
    const { user } = kit.requireUser(p);
    let list = workspacesOf(p, user);
    list = filterByQuery(list, req.query.q, {
      permission: (w) => toWorkspacePermission(w, user),
      'workspace.slug': (w) => w.slug,
      'workspace.uuid': (w) => w.uuid,
    });
    list = sortByQuery(list, req.query.sort, { 'workspace.slug': (w) => w.slug, 'workspace.name': (w) => w.name });
    res.json(paginate(req, ctx.apiBaseUrl, list.map((w) => toWorkspaceMembership(ctx, w, user, true))));
  }));

  router.get('/user/permissions/repositories', kit.guard('repository', (req, res, p) => {
    const { user } = kit.requireUser(p);
    const pairs: Array<{ ws: Workspace; repo: Repository }> = workspacesOf(p, user).flatMap((ws) =>
      state.repositories.filter((r) => r.workspaceUuid === ws.uuid).map((repo) => ({ ws, repo })),
    );
    let list = filterByQuery(pairs, req.query.q, {
      permission: ({ ws }) => toRepositoryPermission(ws, user),
      'repository.name': ({ repo }) => repo.name,
      'repository.full_name': ({ repo }) => toFullName(ctx, repo),
      'repository.uuid': ({ repo }) => repo.uuid,
    });
    list = sortByQuery(list, req.query.sort, { 'repository.name': ({ repo }) => repo.name, 'repository.full_name': ({ repo }) => toFullName(ctx, repo) });
    res.json(paginate(req, ctx.apiBaseUrl, list.map(({ ws, repo }) => toRepositoryPermissionEntry(ctx, ws, repo, user))));
  }));
}
