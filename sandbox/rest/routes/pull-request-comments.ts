import type { Router } from 'express';
import { findComment, findTask } from '../../actions/comment-actions';
import { toPullRequestComment } from '../../serialize/to-pull-request';
import { toTask } from '../../serialize/to-task';
import { SandboxError } from '../../state/sandbox-error';
import type { PullRequestComment, PullRequestTask } from '../../state/types';
import * as bodies from '../body-schemas';
import { filterByQuery, sortByQuery } from '../bbql';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';
import { PR_PATH } from './pull-requests';

export function mountPullRequestCommentRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state, actions } = kit;

  router.get(`${PR_PATH}/comments`, kit.guard('pullrequest', (req, res) => {
    const { pr } = kit.prOf(req);
    const fields = { 'user.uuid': (c: PullRequestComment) => c.userUuid, 'content.raw': (c: PullRequestComment) => c.raw, deleted: (c: PullRequestComment) => String(c.deleted), created_on: (c: PullRequestComment) => c.createdOn, updated_on: (c: PullRequestComment) => c.updatedOn };
    let list = state.comments.filter((c) => c.repoUuid === pr.repoUuid && c.prId === pr.id).sort((a, b) => a.id - b.id);
    list = sortByQuery(filterByQuery(list, req.query.q, fields), req.query.sort, fields);
    res.json(paginate(req, ctx.apiBaseUrl, list.map((c) => toPullRequestComment(ctx, pr, c)), { maxPagelen: 100 }));
  }));

  router.post(`${PR_PATH}/comments`, kit.guard('pullrequest', (req, res, p) => {
    const { pr } = kit.prOf(req);
    const body = kit.parse(bodies.commentBody, req.body);
    const comment = actions.addComment(kit.prRef(req), kit.actorOf(p), body.content.raw, { parentId: body.parent?.id, inline: body.inline });
    const json = toPullRequestComment(ctx, pr, comment);
    res.status(201).location((json.links as { self: { href: string } }).self.href).json(json);
  }));

  router.get(`${PR_PATH}/comments/:comment_id`, kit.guard('pullrequest', (req, res) => {
    const { pr } = kit.prOf(req);
    res.json(toPullRequestComment(ctx, pr, findComment(state, pr, kit.intParam(req, 'comment_id', 'comment'))));
  }));

  router.put(`${PR_PATH}/comments/:comment_id`, kit.guard('pullrequest', (req, res, p) => {
    const { pr } = kit.prOf(req);
    const body = kit.parse(bodies.commentBody, req.body);
    const comment = actions.updateComment(kit.prRef(req), kit.actorOf(p), kit.intParam(req, 'comment_id', 'comment'), body.content.raw);
    res.json(toPullRequestComment(ctx, pr, comment));
  }));

  router.delete(`${PR_PATH}/comments/:comment_id`, kit.guard('pullrequest', (req, res, p) => {
    kit.prOf(req);
    actions.deleteComment(kit.prRef(req), kit.actorOf(p), kit.intParam(req, 'comment_id', 'comment'));
    res.status(204).end();
  }));

  router.get(`${PR_PATH}/tasks`, kit.guard('pullrequest', (req, res) => {
    const { pr } = kit.prOf(req);
    const fields = { state: (t: PullRequestTask) => t.state, 'content.raw': (t: PullRequestTask) => t.raw, 'creator.uuid': (t: PullRequestTask) => t.creatorUuid, created_on: (t: PullRequestTask) => t.createdOn, updated_on: (t: PullRequestTask) => t.updatedOn };
    let list = state.tasks.filter((t) => t.repoUuid === pr.repoUuid && t.prId === pr.id).sort((a, b) => a.id - b.id);
    list = sortByQuery(filterByQuery(list, req.query.q, fields), req.query.sort, fields);
    res.json(paginate(req, ctx.apiBaseUrl, list.map((t) => toTask(ctx, pr, t)), { maxPagelen: 100 }));
  }));

  router.post(`${PR_PATH}/tasks`, kit.guard('pullrequest:write', (req, res, p) => {
    const { pr } = kit.prOf(req);
    const body = kit.parse(bodies.taskCreateBody, req.body);
    if (!body.content.raw.trim()) throw new SandboxError(400, 'content.raw: This field may not be blank.');
    const task = actions.createTask(kit.prRef(req), kit.actorOf(p), { raw: body.content.raw, commentId: body.comment?.id, pending: body.pending });
    const json = toTask(ctx, pr, task);
    res.status(201).location((json.links as { self: { href: string } }).self.href).json(json);
  }));

  router.get(`${PR_PATH}/tasks/:task_id`, kit.guard('pullrequest', (req, res) => {
    const { pr } = kit.prOf(req);
    res.json(toTask(ctx, pr, findTask(state, pr, kit.intParam(req, 'task_id', 'task'))));
  }));

  router.put(`${PR_PATH}/tasks/:task_id`, kit.guard('pullrequest:write', (req, res, p) => {
    const { pr } = kit.prOf(req);
    const body = kit.parse(bodies.taskUpdateBody, req.body);
    const task = actions.updateTask(kit.prRef(req), kit.actorOf(p), kit.intParam(req, 'task_id', 'task'), { raw: body.content?.raw, state: body.state });
    res.json(toTask(ctx, pr, task));
  }));

  router.delete(`${PR_PATH}/tasks/:task_id`, kit.guard('pullrequest:write', (req, res, p) => {
    kit.prOf(req);
    actions.deleteTask(kit.prRef(req), kit.actorOf(p), kit.intParam(req, 'task_id', 'task'));
    res.status(204).end();
  }));
}
