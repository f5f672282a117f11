import { SandboxError } from '../state/sandbox-error';
import type { PullRequest, PullRequestComment, PullRequestTask, Repository, TaskState, User } from '../state/types';
import { toCommentPayload } from '../webhooks/build-payloads';
import type { ActionContext, PullRequestRef } from './action-context';

export interface CommentOptions {
  parentId?: number;
  inline?: { path: string; from?: number; to?: number };
}

export interface CommentActions {
  addComment(ref: PullRequestRef, actor: string, raw: string, opts?: CommentOptions): PullRequestComment;
  updateComment(ref: PullRequestRef, actor: string, commentId: number, raw: string): PullRequestComment;
  deleteComment(ref: PullRequestRef, actor: string, commentId: number): void;
  createTask(ref: PullRequestRef, actor: string, input: { raw: string; commentId?: number; pending?: boolean }): PullRequestTask;
  updateTask(ref: PullRequestRef, actor: string, taskId: number, changes: { raw?: string; state?: TaskState }): PullRequestTask;
  deleteTask(ref: PullRequestRef, actor: string, taskId: number): void;
}

export function findComment(state: ActionContext['state'], pr: PullRequest, id: number): PullRequestComment {
  const comment = state.comments.find((x) => x.repoUuid === pr.repoUuid && x.prId === pr.id && x.id === id);
  if (!comment) throw new SandboxError(404, `No comment with id ${id} on pull request ${pr.id}.`);
  return comment;
}

export function findTask(state: ActionContext['state'], pr: PullRequest, id: number): PullRequestTask {
  const task = state.tasks.find((x) => x.repoUuid === pr.repoUuid && x.prId === pr.id && x.id === id);
  if (!task) throw new SandboxError(404, `No task with id ${id} on pull request ${pr.id}.`);
  return task;
}

export function createCommentActions(c: ActionContext): CommentActions {
  const { state } = c;
  const isAdmin = (repo: Repository, user: User) => {
    const ws = state.workspaces.find((w) => w.uuid === repo.workspaceUuid);
    return Boolean(ws?.admins.includes(user.nickname));
  };
  const requireRaw = (raw: string, field: string) => {
    if (!raw.trim()) throw new SandboxError(400, `${field}: This field may not be blank.`);
  };
  const emitComment = (event: string, repo: Repository, pr: PullRequest, comment: PullRequestComment, actor: User) =>
    c.emit(event, repo, toCommentPayload(c.ctx, repo, pr, comment, actor));

  return {
    addComment(ref, actorRef, raw, opts = {}) {
      const { repo, pr, actor } = c.resolve(ref, actorRef);
      if (!raw.trim()) throw new SandboxError(400, 'content.raw: This field is required.');
      if (opts.parentId !== undefined) findComment(state, pr, opts.parentId);
      const date = c.stamp();
      const comment: PullRequestComment = {
        repoUuid: repo.uuid, prId: pr.id, id: state.nextCommentId++, userUuid: actor.uuid, raw, createdOn: date, updatedOn: date,
        deleted: false, parentId: opts.parentId ?? null, inline: opts.inline ?? null,
      };
      state.comments.push(comment);
      if (actor.uuid !== pr.authorUuid) c.ensureParticipant(pr, actor).participatedOn ??= date;
      emitComment('pullrequest:comment_created', repo, pr, comment, actor);
      return comment;
    },

    updateComment(ref, actorRef, commentId, raw) {
      const { repo, pr, actor } = c.resolve(ref, actorRef);
      const comment = findComment(state, pr, commentId);
      if (comment.deleted) throw new SandboxError(404, `No comment with id ${commentId} on pull request ${pr.id}.`);
      if (comment.userUuid !== actor.uuid) throw new SandboxError(403, 'You can only edit your own comments.');
      requireRaw(raw, 'content.raw');
      Object.assign(comment, { raw, updatedOn: c.stamp() });
      emitComment('pullrequest:comment_updated', repo, pr, comment, actor);
      return comment;
    },

    deleteComment(ref, actorRef, commentId) {
      const { repo, pr, actor } = c.resolve(ref, actorRef);
      const comment = findComment(state, pr, commentId);
      if (comment.deleted) throw new SandboxError(404, `No comment with id ${commentId} on pull request ${pr.id}.`);
      if (comment.userUuid !== actor.uuid && !isAdmin(repo, actor)) throw new SandboxError(403, 'You can only delete your own comments.');
      Object.assign(comment, { deleted: true, updatedOn: c.stamp() });
      emitComment('pullrequest:comment_deleted', repo, pr, comment, actor);
    },

    createTask(ref, actorRef, input) {
      const { pr, actor } = c.resolve(ref, actorRef);
      requireRaw(input.raw, 'content.raw');
      if (input.commentId !== undefined) findComment(state, pr, input.commentId);
      const date = c.stamp();
      const task: PullRequestTask = {
        repoUuid: pr.repoUuid, prId: pr.id, id: state.nextTaskId++, creatorUuid: actor.uuid, raw: input.raw, state: 'UNRESOLVED',
        pending: input.pending ?? false, commentId: input.commentId ?? null, createdOn: date, updatedOn: date, resolvedOn: null, resolvedByUuid: null,
      };
      state.tasks.push(task);
      return task;
    },

    updateTask(ref, actorRef, taskId, changes) {
      const { pr, actor } = c.resolve(ref, actorRef);
      const task = findTask(state, pr, taskId);
      const date = c.stamp();
      if (changes.raw !== undefined) {
        requireRaw(changes.raw, 'content.raw');
        task.raw = changes.raw;
      }
      if (changes.state !== undefined && changes.state !== task.state) {
        task.state = changes.state;
        task.resolvedOn = changes.state === 'RESOLVED' ? date : null;
        task.resolvedByUuid = changes.state === 'RESOLVED' ? actor.uuid : null;
      }
      task.updatedOn = date;
      return task;
    },

    deleteTask(ref, actorRef, taskId) {
      const { pr } = c.resolve(ref, actorRef);
      const task = findTask(state, pr, taskId);
      state.tasks.splice(state.tasks.indexOf(task), 1);
    },
  };
}
