import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import type { SandboxActions } from '../actions/create-actions';
import type { ApiContext } from '../serialize/api-context';
import { toUserProfile, toWorkspace } from '../serialize/to-account';
import { toBranch, toCommit } from '../serialize/to-commit';
import { toCommitStatus } from '../serialize/to-commit-status';
import { toParticipant, toPullRequest, toPullRequestComment } from '../serialize/to-pull-request';
import { toRepository } from '../serialize/to-repository';
import { getCommit, getPullRequest, getRepository, getWorkspace, getWorkspaceOf } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { Repository, User } from '../state/types';
import { authenticate, canAccessWorkspace, hasGrantedScope, type Principal } from './authenticate';
import * as bodies from './body-schemas';
import { paginate } from './paginate';
import { sendError } from './send-error';

export interface RestRouterDeps {
  ctx: ApiContext;
  actions: SandboxActions;
  now: () => Date;
}

const SCOPE_MESSAGE = 'Your credentials lack one or more required privilege scopes.';
const PR_STATES = new Set(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']);

type Handler = (req: Request, res: Response, principal: Principal) => void;

export function createRestRouter({ ctx, actions, now }: RestRouterDeps): Router {
  const { state } = ctx;
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  const guard = (scope: string | null, handler: Handler) => (req: Request, res: Response) => {
    const auth = authenticate(req, state, now());
    if (!auth.ok) return sendError(res, auth.status, auth.message);
    try {
      // Resolve the target first: unknown → 404, other workspace → 403, then scopes.
      const wsRef = req.params.workspace;
      if (wsRef !== undefined) {
        const ws = req.params.repo_slug !== undefined ? getWorkspaceOf(state, getRepository(state, wsRef, req.params.repo_slug)) : getWorkspace(state, wsRef);
        if (!canAccessWorkspace(auth.principal, ws.uuid)) {
          return sendError(res, 403, `Your credentials do not grant access to workspace '${ws.slug}'.`);
        }
      }
      if (scope && !hasGrantedScope(auth.principal, scope)) {
        return sendError(res, 403, SCOPE_MESSAGE, { required: [scope], granted: auth.principal.granted });
      }
      handler(req, res, auth.principal);
    } catch (err) {
      if (err instanceof SandboxError) return sendError(res, err.status, err.message, err.detail);
      throw err;
    }
  };

  const parse = <T extends z.ZodType>(schema: T, body: unknown): z.infer<T> => {
    const r = schema.safeParse(body);
    if (!r.success) {
      const msg = r.error.issues.map((i) => (i.message.includes(':') ? i.message : `${i.path.join('.') || 'body'}: ${i.message}`)).join('; ');
      throw new SandboxError(400, msg);
    }
    return r.data;
  };
  const repoOf = (req: Request): Repository => getRepository(state, String(req.params.workspace), String(req.params.repo_slug));
  const prOf = (req: Request) => {
    const repo = repoOf(req);
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1) throw new SandboxError(404, `Pull request ${String(req.params.id)} not found.`);
    return { repo, pr: getPullRequest(state, repo, id) };
  };
  const prRef = (req: Request) => ({ workspace: String(req.params.workspace), repo: String(req.params.repo_slug), id: Number(req.params.id) });
  /** Connect apps act as the installation; Bitbucket attributes their changes to the app's bot user. Ours: the installer. */
  const actorOf = (p: Principal): string => (p.kind === 'user' ? p.user.uuid : p.installation.installedByUuid);
  const userOf = (p: Principal): User | null => (p.kind === 'user' ? p.user : null);

  router.get('/user', guard(null, (_req, res, p) => {
    const user = userOf(p);
    if (!user) return sendError(res, 401, 'This endpoint requires a user: an app JWT has no user context.');
    if (!hasGrantedScope(p, 'account')) return sendError(res, 403, SCOPE_MESSAGE, { required: ['account'], granted: p.granted });
    res.json(toUserProfile(ctx, user));
  }));

  router.get('/workspaces/:workspace', guard(null, (req, res) => {
    res.json(toWorkspace(ctx, getWorkspace(state, String(req.params.workspace))));
  }));

  router.get('/repositories/:workspace', guard('repository', (req, res) => {
    const ws = getWorkspace(state, String(req.params.workspace));
    let repos = state.repositories.filter((r) => r.workspaceUuid === ws.uuid);
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    // Minimal BBQL: name/slug/full_name with = or ~ "value".
    const m = /^\s*(name|slug|full_name)\s*(=|~)\s*"([^"]*)"\s*$/.exec(q);
    if (q && !m) throw new SandboxError(400, `Invalid query: only name|slug|full_name with = or ~ is supported by the sandbox: ${q}`);
    if (m) {
      const [, field, op, value] = m as unknown as [string, 'name' | 'slug' | 'full_name', string, string];
      const get = (r: Repository) => (field === 'full_name' ? `${ws.slug}/${r.slug}` : r[field]);
      repos = repos.filter((r) => (op === '=' ? get(r) === value : get(r).toLowerCase().includes(value.toLowerCase())));
    }
    const sort = typeof req.query.sort === 'string' ? req.query.sort : '';
    if (sort) {
      const desc = sort.startsWith('-');
      const key = sort.replace(/^-/, '') as 'name' | 'created_on' | 'updated_on';
      const val = (r: Repository) => (key === 'created_on' ? r.createdOn : key === 'updated_on' ? r.updatedOn : r.name);
      repos = [...repos].sort((a, b) => val(a).localeCompare(val(b)) * (desc ? -1 : 1));
    }
    res.json(paginate(req, ctx.apiBaseUrl, repos.map((r) => toRepository(ctx, r))));
  }));

  router.get('/repositories/:workspace/:repo_slug', guard('repository', (req, res) => {
    res.json(toRepository(ctx, repoOf(req)));
  }));

  router.get('/repositories/:workspace/:repo_slug/refs/branches', guard('repository', (req, res) => {
    const repo = repoOf(req);
    const branches = state.branches.filter((b) => b.repoUuid === repo.uuid).sort((a, b) => a.name.localeCompare(b.name));
    res.json(paginate(req, ctx.apiBaseUrl, branches.map((b) => toBranch(ctx, repo, b.name, getCommit(state, repo, b.target)))));
  }));

  router.get('/repositories/:workspace/:repo_slug/refs/branches/:name', guard('repository', (req, res) => {
    const repo = repoOf(req);
    const b = state.branches.find((x) => x.repoUuid === repo.uuid && x.name === req.params.name);
    if (!b) throw new SandboxError(404, `Branch not found: ${String(req.params.name)}`);
    res.json(toBranch(ctx, repo, b.name, getCommit(state, repo, b.target)));
  }));

  const listCommits = (req: Request, res: Response) => {
    const repo = repoOf(req);
    const startRef = req.params.revision ?? (typeof req.query.include === 'string' ? req.query.include : repo.mainbranch);
    const start = getCommit(state, repo, String(startRef));
    const exclude = typeof req.query.exclude === 'string' ? getCommit(state, repo, req.query.exclude).hash : null;
    const out = [];
    const seen = new Set<string>();
    const queue = [start.hash];
    while (queue.length) {
      const h = queue.shift()!;
      if (seen.has(h) || h === exclude) continue;
      seen.add(h);
      const c = state.commits.find((x) => x.repoUuid === repo.uuid && x.hash === h);
      if (!c) continue;
      out.push(c);
      queue.push(...c.parents);
    }
    out.sort((a, b) => b.date.localeCompare(a.date));
    res.json(paginate(req, ctx.apiBaseUrl, out.map((c) => toCommit(ctx, repo, c)), { defaultPagelen: 30, maxPagelen: 100 }));
  };
  router.get('/repositories/:workspace/:repo_slug/commits', guard('repository', listCommits));
  router.get('/repositories/:workspace/:repo_slug/commits/:revision', guard('repository', listCommits));

  router.get('/repositories/:workspace/:repo_slug/commit/:commit', guard('repository', (req, res) => {
    const repo = repoOf(req);
    res.json(toCommit(ctx, repo, getCommit(state, repo, String(req.params.commit))));
  }));

  router.get('/repositories/:workspace/:repo_slug/commit/:commit/statuses', guard('repository', (req, res) => {
    const repo = repoOf(req);
    const commit = getCommit(state, repo, String(req.params.commit));
    const list = state.statuses.filter((s) => s.repoUuid === repo.uuid && s.commitHash === commit.hash);
    res.json(paginate(req, ctx.apiBaseUrl, list.map((s) => toCommitStatus(ctx, repo, s))));
  }));

  router.post('/repositories/:workspace/:repo_slug/commit/:commit/statuses/build', guard('repository', (req, res, p) => {
    const body = parse(bodies.commitStatusBody, req.body);
    const { status, created } = actions.setCommitStatus({ workspace: String(req.params.workspace), repo: String(req.params.repo_slug), commit: String(req.params.commit), actor: actorOf(p), ...body });
    res.status(created ? 201 : 200).json(toCommitStatus(ctx, repoOf(req), status));
  }));

  const findStatus = (req: Request) => {
    const repo = repoOf(req);
    const commit = getCommit(state, repo, String(req.params.commit));
    const status = state.statuses.find((s) => s.repoUuid === repo.uuid && s.commitHash === commit.hash && s.key === req.params.key);
    if (!status) throw new SandboxError(404, `No commit status with key '${String(req.params.key)}' on commit ${commit.hash}.`);
    return { repo, status };
  };
  router.get('/repositories/:workspace/:repo_slug/commit/:commit/statuses/build/:key', guard('repository', (req, res) => {
    const { repo, status } = findStatus(req);
    res.json(toCommitStatus(ctx, repo, status));
  }));
  router.put('/repositories/:workspace/:repo_slug/commit/:commit/statuses/build/:key', guard('repository', (req, res, p) => {
    const { repo, status } = findStatus(req);
    const body = parse(bodies.commitStatusUpdateBody, req.body);
    const result = actions.setCommitStatus({
      workspace: String(req.params.workspace), repo: String(req.params.repo_slug), commit: status.commitHash, actor: actorOf(p),
      ...body, key: status.key, state: body.state ?? status.state,
    });
    res.json(toCommitStatus(ctx, repo, result.status));
  }));

  router.get('/repositories/:workspace/:repo_slug/pullrequests', guard('pullrequest', (req, res) => {
    const repo = repoOf(req);
    const raw = req.query.state;
    const states = (raw === undefined ? ['OPEN'] : Array.isArray(raw) ? raw : [raw]).map((s) => String(s).toUpperCase());
    const bad = states.find((s) => !PR_STATES.has(s));
    if (bad) throw new SandboxError(400, `Invalid state: ${bad}. Valid states are OPEN, MERGED, DECLINED, SUPERSEDED.`);
    const list = state.pullRequests.filter((p) => p.repoUuid === repo.uuid && states.includes(p.state)).sort((a, b) => b.id - a.id);
    res.json(paginate(req, ctx.apiBaseUrl, list.map((pr) => toPullRequest(ctx, pr)), { defaultPagelen: 10, maxPagelen: 50 }));
  }));

  router.post('/repositories/:workspace/:repo_slug/pullrequests', guard('pullrequest:write', (req, res, p) => {
    const body = parse(bodies.createPullRequestBody, req.body);
    const pr = actions.createPullRequest({
      workspace: String(req.params.workspace), repo: String(req.params.repo_slug), actor: actorOf(p),
      title: body.title, description: body.description, sourceBranch: body.source.branch.name,
      destinationBranch: body.destination?.branch.name, reviewers: body.reviewers?.map(bodies.toUserRefString),
      draft: body.draft, closeSourceBranch: body.close_source_branch,
    });
    res.status(201).location(String((toPullRequest(ctx, pr).links as { self: { href: string } }).self.href)).json(toPullRequest(ctx, pr));
  }));

  router.get('/repositories/:workspace/:repo_slug/pullrequests/:id', guard('pullrequest', (req, res) => {
    res.json(toPullRequest(ctx, prOf(req).pr));
  }));

  router.put('/repositories/:workspace/:repo_slug/pullrequests/:id', guard('pullrequest:write', (req, res, p) => {
    prOf(req);
    const body = parse(bodies.updatePullRequestBody, req.body);
    res.json(toPullRequest(ctx, actions.updatePullRequest(prRef(req), actorOf(p), body)));
  }));

  router.post('/repositories/:workspace/:repo_slug/pullrequests/:id/approve', guard('pullrequest:write', (req, res, p) => {
    prOf(req);
    res.json(toParticipant(ctx, actions.approve(prRef(req), actorOf(p))));
  }));
  router.delete('/repositories/:workspace/:repo_slug/pullrequests/:id/approve', guard('pullrequest:write', (req, res, p) => {
    prOf(req);
    actions.unapprove(prRef(req), actorOf(p));
    res.status(204).end();
  }));
  router.post('/repositories/:workspace/:repo_slug/pullrequests/:id/request-changes', guard('pullrequest:write', (req, res, p) => {
    prOf(req);
    res.json(toParticipant(ctx, actions.requestChanges(prRef(req), actorOf(p))));
  }));
  router.delete('/repositories/:workspace/:repo_slug/pullrequests/:id/request-changes', guard('pullrequest:write', (req, res, p) => {
    prOf(req);
    actions.removeChangeRequest(prRef(req), actorOf(p));
    res.status(204).end();
  }));

  router.post('/repositories/:workspace/:repo_slug/pullrequests/:id/merge', guard('pullrequest:write', (req, res, p) => {
    prOf(req);
    const body = parse(bodies.mergeBody, req.body ?? {});
    const pr = actions.merge(prRef(req), actorOf(p), { mergeStrategy: body.merge_strategy, closeSourceBranch: body.close_source_branch, message: body.message });
    res.json(toPullRequest(ctx, pr));
  }));
  router.post('/repositories/:workspace/:repo_slug/pullrequests/:id/decline', guard('pullrequest:write', (req, res, p) => {
    prOf(req);
    const body = parse(bodies.declineBody, req.body);
    res.json(toPullRequest(ctx, actions.decline(prRef(req), actorOf(p), body?.reason)));
  }));

  router.get('/repositories/:workspace/:repo_slug/pullrequests/:id/comments', guard('pullrequest', (req, res) => {
    const { pr } = prOf(req);
    const list = state.comments.filter((c) => c.repoUuid === pr.repoUuid && c.prId === pr.id).sort((a, b) => a.id - b.id);
    res.json(paginate(req, ctx.apiBaseUrl, list.map((c) => toPullRequestComment(ctx, pr, c)), { maxPagelen: 100 }));
  }));
  router.post('/repositories/:workspace/:repo_slug/pullrequests/:id/comments', guard('pullrequest', (req, res, p) => {
    const { pr } = prOf(req);
    const body = parse(bodies.commentBody, req.body);
    const comment = actions.addComment(prRef(req), actorOf(p), body.content.raw);
    res.status(201).json(toPullRequestComment(ctx, pr, comment));
  }));

  router.get('/repositories/:workspace/:repo_slug/pullrequests/:id/statuses', guard('pullrequest', (req, res) => {
    const { repo, pr } = prOf(req);
    const list = state.statuses.filter((s) => s.repoUuid === repo.uuid && s.commitHash === pr.source.hash);
    res.json(paginate(req, ctx.apiBaseUrl, list.map((s) => toCommitStatus(ctx, repo, s))));
  }));

  router.use((req: Request, res: Response) => sendError(res, 404, `Resource not found: ${req.method} ${req.originalUrl}`));
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SyntaxError || (err as { type?: string }).type === 'entity.parse.failed') return sendError(res, 400, 'Malformed JSON body.');
    if (err instanceof SandboxError) return sendError(res, err.status, err.message, err.detail);
    sendError(res, 500, 'Something went wrong in the sandbox.');
  });
  return router;
}
