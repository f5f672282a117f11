import { createMergeWhenGreenPlanner } from '../../agent';
import { PermanentJobError } from '../errors';
import { withTriggerContext } from '../trigger-context';
import type { JobHandler } from '../worker';
import { PULL_REQUEST_SYNC_JOB, readWebhookCommentJob, toCommentRequestUuid, WEBHOOK_COMMENT_JOB } from '../webhook-jobs';
import { AGENT_EXECUTE_JOB, createAgentExecuteHandler } from './agent-execute-handler';
import type { AutomationDeps, AutomationInput } from './automation-deps';
import { createCommentCommandHandler } from './comment-command-handler';
import { createPullRequestSyncHandler } from './pull-request-sync-handler';

/** Every job type the worker runs, by name. */
export function createJobHandlers(input: AutomationInput): Record<string, JobHandler> {
  const { mergeRoute, ...rest } = input;
  const deps: AutomationDeps = { ...rest, mergeWhenGreen: createMergeWhenGreenPlanner(mergeRoute ? { mergeRoute } : {}) };
  return {
    // The comment as the edge parsed it travels in the job: the context holds it, no delivery is re-read.
    [WEBHOOK_COMMENT_JOB]: withTriggerContext(deps, createCommentCommandHandler(deps), {
      deliveryIdOf: toCommentRequestUuid,
      onUninstalled: () => ({ ignored: 'uninstalled' }),
      event: async (job) => readWebhookCommentJob(job),
    }),
    // Each job builds its trigger context once: the tenant loaded once, one installation client.
    [PULL_REQUEST_SYNC_JOB]: withTriggerContext(deps, createPullRequestSyncHandler(deps), { onUninstalled: () => ({ ignored: 'uninstalled' }) }),
    [AGENT_EXECUTE_JOB]: withTriggerContext(deps, createAgentExecuteHandler(deps), {
      onUninstalled: () => {
        throw new PermanentJobError('Bosun is no longer installed in this workspace');
      },
    }),
  };
}

export { AGENT_EXECUTE_JOB, agentExecuteJobSchema, enqueueAgentExecution } from './agent-execute-handler';
export type { AgentExecuteJob } from './agent-execute-handler';
export type { AutomationDeps, AutomationInput } from './automation-deps';
export { toToolTenant } from './automation-deps';
