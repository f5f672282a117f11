import type { Request, Router } from 'express';
import { toWorkspace } from '../../serialize/to-account';
import { toWorkspaceMembership, toWorkspacePermission } from '../../serialize/to-membership';
import { findUser, getWorkspace } from '../../state/lookups';
import { SandboxError } from '../../state/sandbox-error';
import type { User } from '../../state/types';
import { filterByQuery } from '../bbql';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

export function mountWorkspaceRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state } = kit;
  const wsOf = (req: Request) => getWorkspace(state, String(req.params.workspace));
  const membersOf = (req: Request): User[] => {
    const ws = wsOf(req);
    return ws.members.map((n) => findUser(state, n)).filter((u): u is User => u !== undefined);
  };

  router.get('/workspaces/:workspace', kit.guard(null, (req, res) => {
    res.json(toWorkspace(ctx, wsOf(req)));
  }));

  router.get('/workspaces/:workspace/members', kit.guard('account', (req, res) => {
    const ws = wsOf(req);
    res.json(paginate(req, ctx.apiBaseUrl, membersOf(req).map((u) => toWorkspaceMembership(ctx, ws, u, false))));
  }));

  router.get('/workspaces/:workspace/members/:member', kit.guard('account', (req, res) => {
    const ws = wsOf(req);
    const ref = String(req.params.member);
    const user = membersOf(req).find((u) => u.uuid === ref || u.accountId === ref || u.nickname === ref);
    if (!user) throw new SandboxError(404, `${ref} is not a member of workspace ${ws.slug}.`);
    res.json(toWorkspaceMembership(ctx, ws, user, false));
  }));

  router.get('/workspaces/:workspace/permissions', kit.guard('account', (req, res) => {
    const ws = wsOf(req);
    const list = filterByQuery(membersOf(req), req.query.q, {
      permission: (u) => toWorkspacePermission(ws, u),
      'user.uuid': (u) => u.uuid,
      'user.account_id': (u) => u.accountId,
      'user.nickname': (u) => u.nickname,
    });
    res.json(paginate(req, ctx.apiBaseUrl, list.map((u) => toWorkspaceMembership(ctx, ws, u, true))));
  }));
}
