import type { Request, Router } from 'express';
import { toCommitStatus } from '../../serialize/to-commit-status';
import { getCommit } from '../../state/lookups';
import { SandboxError } from '../../state/sandbox-error';
import { filterByQuery } from '../bbql';
import * as bodies from '../body-schemas';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

export function mountStatusRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state, actions } = kit;
  const commitPath = '/repositories/:workspace/:repo_slug/commit/:commit';

  router.get(`${commitPath}/statuses`, kit.guard('repository', (req, res) => {
    const repo = kit.repoOf(req);
    const commit = getCommit(state, repo, String(req.params.commit));
    const refname = typeof req.query.refname === 'string' ? req.query.refname : undefined;
    const all = state.statuses.filter((s) => s.repoUuid === repo.uuid && s.commitHash === commit.hash && (refname === undefined || s.refname === refname || s.refname === null));
    const list = filterByQuery(all, req.query.q, { state: (s) => s.state, key: (s) => s.key, name: (s) => s.name, refname: (s) => s.refname ?? '' });
    res.json(paginate(req, ctx.apiBaseUrl, list.map((s) => toCommitStatus(ctx, repo, s))));
  }));

  router.post(`${commitPath}/statuses/build`, kit.guard('repository', (req, res, p) => {
    const body = kit.parse(bodies.commitStatusBody, req.body);
    const { status, created } = actions.setCommitStatus({ ...kit.repoRef(req), commit: String(req.params.commit), actor: kit.actorOf(p), ...body });
    res.status(created ? 201 : 200).json(toCommitStatus(ctx, kit.repoOf(req), status));
  }));

  const findStatus = (req: Request) => {
    const repo = kit.repoOf(req);
    const commit = getCommit(state, repo, String(req.params.commit));
    const status = state.statuses.find((s) => s.repoUuid === repo.uuid && s.commitHash === commit.hash && s.key === req.params.key);
    if (!status) throw new SandboxError(404, `No commit status with key '${String(req.params.key)}' on commit ${commit.hash}.`);
    return { repo, status };
  };
  router.get(`${commitPath}/statuses/build/:key`, kit.guard('repository', (req, res) => {
    const { repo, status } = findStatus(req);
    res.json(toCommitStatus(ctx, repo, status));
  }));
  router.put(`${commitPath}/statuses/build/:key`, kit.guard('repository', (req, res, p) => {
    const { repo, status } = findStatus(req);
    const body = kit.parse(bodies.commitStatusUpdateBody, req.body);
    const result = actions.setCommitStatus({
      ...kit.repoRef(req), commit: status.commitHash, actor: kit.actorOf(p), ...body, key: status.key, state: body.state ?? status.state,
    });
    res.json(toCommitStatus(ctx, repo, result.status));
  }));
}
