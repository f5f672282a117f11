import type { Router } from 'express';
import { toParticipant, toPullRequest } from '../../serialize/to-pull-request';
import { SandboxError } from '../../state/sandbox-error';
import type { PullRequest } from '../../state/types';
import * as bodies from '../body-schemas';
import { filterByQuery, sortByQuery, toQueryList } from '../bbql';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

const PR_STATES = new Set(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']);
export const PR_PATH = '/repositories/:workspace/:repo_slug/pullrequests/:pull_request_id';

export function mountPullRequestRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state, actions } = kit;
  const selfHref = (pr: PullRequest) => (toPullRequest(ctx, pr).links as { self: { href: string } }).self.href;

  router.get('/repositories/:workspace/:repo_slug/pullrequests', kit.guard('pullrequest', (req, res) => {
    const repo = kit.repoOf(req);
    const raw = toQueryList(req.query.state);
    const states = (raw.length ? raw : ['OPEN']).map((s) => s.toUpperCase());
    const bad = states.find((s) => !PR_STATES.has(s));
    if (bad) throw new SandboxError(400, `Invalid state: ${bad}. Valid states are OPEN, MERGED, DECLINED, SUPERSEDED.`);
    const fields = {
      title: (p: PullRequest) => p.title,
      state: (p: PullRequest) => p.state,
      'source.branch.name': (p: PullRequest) => p.source.branch,
      'destination.branch.name': (p: PullRequest) => p.destination.branch,
      'author.uuid': (p: PullRequest) => p.authorUuid,
      created_on: (p: PullRequest) => p.createdOn,
      updated_on: (p: PullRequest) => p.updatedOn,
    };
    let list = state.pullRequests.filter((p) => p.repoUuid === repo.uuid && states.includes(p.state)).sort((a, b) => b.id - a.id);
    list = sortByQuery(filterByQuery(list, req.query.q, fields), req.query.sort, fields);
    // Like Bitbucket, a PR list leaves out reviewers and participants unless `fields=+values.participants`.
    res.locals.defaultOmit = ['values.participants', 'values.reviewers'];
    res.json(paginate(req, ctx.apiBaseUrl, list.map((pr) => toPullRequest(ctx, pr)), { defaultPagelen: 10, maxPagelen: 50 }));
  }));

  router.post('/repositories/:workspace/:repo_slug/pullrequests', kit.guard('pullrequest:write', (req, res, p) => {
    const body = kit.parse(bodies.createPullRequestBody, req.body);
    const pr = actions.createPullRequest({
      ...kit.repoRef(req), actor: kit.actorOf(p),
      title: body.title, description: body.description, sourceBranch: body.source.branch.name,
      destinationBranch: body.destination?.branch.name, reviewers: body.reviewers?.map(bodies.toUserRefString),
      draft: body.draft, closeSourceBranch: body.close_source_branch,
    });
    res.status(201).location(selfHref(pr)).json(toPullRequest(ctx, pr));
  }));

  router.get(PR_PATH, kit.guard('pullrequest', (req, res) => {
    res.json(toPullRequest(ctx, kit.prOf(req).pr));
  }));

  router.put(PR_PATH, kit.guard('pullrequest:write', (req, res, p) => {
    kit.prOf(req);
    const body = kit.parse(bodies.updatePullRequestBody, req.body);
    const pr = actions.updatePullRequest(kit.prRef(req), kit.actorOf(p), {
      title: body.title, description: body.description, draft: body.draft, destinationBranch: body.destination?.branch.name,
      reviewers: body.reviewers?.map(bodies.toUserRefString), closeSourceBranch: body.close_source_branch,
    });
    res.json(toPullRequest(ctx, pr));
  }));

  router.post(`${PR_PATH}/approve`, kit.guard('pullrequest:write', (req, res, p) => {
    kit.prOf(req);
    res.json(toParticipant(ctx, actions.approve(kit.prRef(req), kit.actorOf(p))));
  }));
  router.delete(`${PR_PATH}/approve`, kit.guard('pullrequest:write', (req, res, p) => {
    kit.prOf(req);
    actions.unapprove(kit.prRef(req), kit.actorOf(p));
    res.status(204).end();
  }));
  router.post(`${PR_PATH}/request-changes`, kit.guard('pullrequest:write', (req, res, p) => {
    kit.prOf(req);
    res.json(toParticipant(ctx, actions.requestChanges(kit.prRef(req), kit.actorOf(p))));
  }));
  router.delete(`${PR_PATH}/request-changes`, kit.guard('pullrequest:write', (req, res, p) => {
    kit.prOf(req);
    actions.removeChangeRequest(kit.prRef(req), kit.actorOf(p));
    res.status(204).end();
  }));
  router.post(`${PR_PATH}/decline`, kit.guard('pullrequest:write', (req, res, p) => {
    kit.prOf(req);
    const body = kit.parse(bodies.declineBody, req.body);
    res.json(toPullRequest(ctx, actions.decline(kit.prRef(req), kit.actorOf(p), body?.reason)));
  }));
}
