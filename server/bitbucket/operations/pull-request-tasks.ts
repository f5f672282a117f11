import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toPathSegment, toPullRequestPath } from '../paths';
import { pullRequestTaskSchema, type PullRequestTask, type PullRequestTaskState } from '../schemas/pull-request-activity';

export interface ListPullRequestTasksOptions {
  /** BBQL filter, e.g. `state = "UNRESOLVED"`. */
  q?: string;
  sort?: string;
  max?: number;
}

export interface CreatePullRequestTaskInput {
  content: { raw: string };
  /** Attach the task to this comment. */
  comment?: { id: number };
  pending?: boolean;
}

export interface UpdatePullRequestTaskInput {
  content?: { raw: string };
  state?: PullRequestTaskState;
}

export interface PullRequestTasksOperations {
  /** `GET …/pullrequests/{id}/tasks`, all pages up to `max`. */
  listTasks(workspace: string, repoSlug: string, id: number, options?: ListPullRequestTasksOptions): Promise<PullRequestTask[]>;
  /** `POST …/pullrequests/{id}/tasks`. */
  createTask(workspace: string, repoSlug: string, id: number, input: CreatePullRequestTaskInput): Promise<PullRequestTask>;
  /** `PUT …/tasks/{task_id}`: resolve/reopen with `state`, or edit `content`. */
  updateTask(workspace: string, repoSlug: string, id: number, taskId: number, input: UpdatePullRequestTaskInput): Promise<PullRequestTask>;
}

/** The task calls of the `pullRequests` group. */
export function createPullRequestTasksOperations(http: HttpTransport): PullRequestTasksOperations {
  const tasksPath = (workspace: string, repoSlug: string, id: number) => `${toPullRequestPath(workspace, repoSlug, id)}/tasks`;
  return {
    listTasks: async (workspace, repoSlug, id, options = {}) =>
      paginate(
        http,
        { path: tasksPath(workspace, repoSlug, id), query: { q: options.q, sort: options.sort } },
        pullRequestTaskSchema,
        { max: options.max },
      ),
    createTask: async (workspace, repoSlug, id, input) =>
      http.sendJson({ method: 'POST', path: tasksPath(workspace, repoSlug, id), body: input }, pullRequestTaskSchema),
    updateTask: async (workspace, repoSlug, id, taskId, input) =>
      http.sendJson(
        { method: 'PUT', path: `${tasksPath(workspace, repoSlug, id)}/${toPathSegment(taskId, 'task id')}`, body: input },
        pullRequestTaskSchema,
      ),
  };
}
