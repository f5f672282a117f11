import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toPathSegment, toPullRequestPath } from '../paths';
import { pullRequestCommentSchema, type PullRequestComment } from '../schemas/comment';

export interface CreateCommentInput {
  content: { raw: string };
  parent?: { id: number };
  inline?: { path: string; from?: number; to?: number };
}

export interface PullRequestCommentsOperations {
  /** `GET …/pullrequests/{id}/comments`, all pages up to `max`. */
  listComments(workspace: string, repoSlug: string, id: number, options?: { q?: string; max?: number }): Promise<PullRequestComment[]>;
  /** `POST …/pullrequests/{id}/comments`. */
  createComment(workspace: string, repoSlug: string, id: number, input: CreateCommentInput): Promise<PullRequestComment>;
  /** `PUT …/comments/{comment_id}`: edits in place (for sticky comments found by a hidden marker). */
  updateComment(workspace: string, repoSlug: string, id: number, commentId: number, input: { content: { raw: string } }): Promise<PullRequestComment>;
  /** `DELETE …/comments/{comment_id}`. Bitbucket keeps a "deleted" placeholder when it has replies. */
  deleteComment(workspace: string, repoSlug: string, id: number, commentId: number): Promise<void>;
}

/** The comment calls of the `pullRequests` group. */
export function createPullRequestCommentsOperations(http: HttpTransport): PullRequestCommentsOperations {
  const commentsPath = (workspace: string, repoSlug: string, id: number) => `${toPullRequestPath(workspace, repoSlug, id)}/comments`;
  const commentPath = (workspace: string, repoSlug: string, id: number, commentId: number) =>
    `${commentsPath(workspace, repoSlug, id)}/${toPathSegment(commentId, 'comment id')}`;
  return {
    listComments: async (workspace, repoSlug, id, options = {}) =>
      paginate(
        http,
        { path: commentsPath(workspace, repoSlug, id), query: { q: options.q } },
        pullRequestCommentSchema,
        { max: options.max },
      ),
    createComment: async (workspace, repoSlug, id, input) =>
      http.sendJson({ method: 'POST', path: commentsPath(workspace, repoSlug, id), body: input }, pullRequestCommentSchema),
    updateComment: async (workspace, repoSlug, id, commentId, input) =>
      http.sendJson(
        { method: 'PUT', path: commentPath(workspace, repoSlug, id, commentId), body: input },
        pullRequestCommentSchema,
      ),
    deleteComment: async (workspace, repoSlug, id, commentId) => {
      await http.send({ method: 'DELETE', path: commentPath(workspace, repoSlug, id, commentId) });
    },
  };
}
