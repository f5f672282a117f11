import type { Router } from 'express';
import { toActivity } from '../../serialize/to-activity';
import { toCommit } from '../../serialize/to-commit';
import { toCommitStatus } from '../../serialize/to-commit-status';
import { toApiUrl } from '../../serialize/api-context';
import { toFullName } from '../../serialize/to-repository';
import { listCommitsBetween } from '../../state/graph';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';
import { PR_PATH } from './pull-requests';

export function mountPullRequestHistoryRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state } = kit;

  router.get(`${PR_PATH}/activity`, kit.guard('pullrequest', (req, res) => {
    const { repo, pr } = kit.prOf(req);
    res.json(paginate(req, ctx.apiBaseUrl, toActivity(ctx, repo, pr), { defaultPagelen: 50, maxPagelen: 50 }));
  }));

  /** Like Bitbucket: a 302 to the repository diffstat of source against the merge base. */
  router.get(`${PR_PATH}/diffstat`, kit.guard('pullrequest', (req, res) => {
    const { repo, pr } = kit.prOf(req);
    const dest = state.branches.find((b) => b.repoUuid === repo.uuid && b.name === pr.destination.branch);
    const against = pr.state === 'OPEN' && dest ? dest.target : pr.destination.hash;
    const query = new URLSearchParams({ from_pullrequest_id: String(pr.id), topic: 'true' });
    for (const key of ['page', 'pagelen'] as const) if (typeof req.query[key] === 'string') query.set(key, req.query[key]);
    res.redirect(302, toApiUrl(ctx, `/repositories/${toFullName(ctx, repo)}/diffstat/${pr.source.hash}..${against}?${query.toString()}`));
  }));

  router.get(`${PR_PATH}/commits`, kit.guard('pullrequest', (req, res) => {
    const { repo, pr } = kit.prOf(req);
    const dest = state.branches.find((b) => b.repoUuid === repo.uuid && b.name === pr.destination.branch);
    const exclude = pr.state === 'OPEN' && dest ? dest.target : pr.destination.hash;
    const commits = listCommitsBetween(state, repo, [pr.source.hash], [exclude]);
    res.json(paginate(req, ctx.apiBaseUrl, commits.map((c) => toCommit(ctx, repo, c)), { maxPagelen: 100 }));
  }));

  router.get(`${PR_PATH}/statuses`, kit.guard('pullrequest', (req, res) => {
    const { repo, pr } = kit.prOf(req);
    const list = state.statuses.filter((s) => s.repoUuid === repo.uuid && s.commitHash === pr.source.hash);
    res.json(paginate(req, ctx.apiBaseUrl, list.map((s) => toCommitStatus(ctx, repo, s))));
  }));
}
