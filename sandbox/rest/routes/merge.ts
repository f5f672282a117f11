import type { Router } from 'express';
import { toPullRequest } from '../../serialize/to-pull-request';
import { SandboxError } from '../../state/sandbox-error';
import * as bodies from '../body-schemas';
import type { RouteKit } from '../route-kit';
import { PR_PATH } from './pull-requests';

/** POST …/merge[?async=true] and the task-status it points at. */
export function mountMergeRoutes(router: Router, kit: RouteKit): void {
  const { ctx, state, actions } = kit;

  router.post(`${PR_PATH}/merge`, kit.guard('pullrequest:write', (req, res, p) => {
    const { pr } = kit.prOf(req);
    const body = kit.parse(bodies.mergeBody, req.body ?? {});
    const opts = { mergeStrategy: body.merge_strategy, closeSourceBranch: body.close_source_branch, message: body.message };
    if (req.query.async === 'true') {
      const task = actions.startMerge(kit.prRef(req), kit.actorOf(p), opts);
      const self = (toPullRequest(ctx, pr).links as { self: { href: string } }).self.href;
      return res.status(202).location(`${self}/merge/task-status/${task.id}`).end();
    }
    res.json(toPullRequest(ctx, actions.merge(kit.prRef(req), kit.actorOf(p), opts)));
  }));

  router.get(`${PR_PATH}/merge/task-status/:task_id`, kit.guard('pullrequest', (req, res) => {
    const { pr } = kit.prOf(req);
    const task = state.mergeTasks.find((t) => t.id === req.params.task_id);
    if (!task || task.repoUuid !== pr.repoUuid || task.prId !== pr.id) {
      throw new SandboxError(400, `Task ${String(req.params.task_id)} does not relate to pull request ${pr.id}.`);
    }
    if (task.status === 'PENDING') return res.json({ task_status: 'PENDING' });
    if (task.status === 'FAILED') throw new SandboxError(task.error?.status ?? 400, task.error?.message ?? 'The merge failed.');
    res.json({ task_status: 'SUCCESS', merge_result: toPullRequest(ctx, pr) });
  }));
}
