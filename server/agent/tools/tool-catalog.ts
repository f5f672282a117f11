import type { RepositoryTemplateStore } from '../../policies/repository-template-store';
import type { AutoMergeStore } from '../stores/auto-merge-store';
import { branchCreate } from './branch-create';
import { branchDelete } from './branch-delete';
import { branchDeleteMany } from './branch-delete-many';
import { branchRestrictionEnsure } from './branch-restriction-ensure';
import { defaultReviewerAdd } from './default-reviewer-add';
import { branchListStale } from './branch-list-stale';
import { buildStatusReport } from './build-status-report';
import { pipelineFailedStepLog } from './pipeline-failed-step-log';
import { pipelineList } from './pipeline-list';
import { pipelineRerun } from './pipeline-rerun';
import { pipelineRerunFailed } from './pipeline-rerun-failed';
import { pipelineStop } from './pipeline-stop';
import { pipelineTrigger } from './pipeline-trigger';
import { pullRequestAddReviewers } from './pull-request-add-reviewers';
import { pullRequestApprove } from './pull-request-approve';
import { pullRequestUnapprove } from './pull-request-unapprove';
import { createPullRequestCancelAutoMerge } from './pull-request-cancel-auto-merge';
import { pullRequestComment } from './pull-request-comment';
import { pullRequestDecline } from './pull-request-decline';
import { pullRequestMerge } from './pull-request-merge';
import { createPullRequestMergeWhenGreen } from './pull-request-merge-when-green';
import { pullRequestOpen } from './pull-request-open';
import { pullRequestRequestChanges } from './pull-request-request-changes';
import { pullRequestStatus } from './pull-request-status';
import { pullRequestUpdate } from './pull-request-update';
import { createRepositoryApplyTemplate } from './repository-apply-template';
import { createRepositoryCheckDrift } from './repository-check-drift';
import { repositoryCreate } from './repository-create';
import { createRepositoryCreateFromTemplate } from './repository-create-from-template';
import { createRepositoryPreviewTemplate } from './repository-preview-template';
import { repositoryGet } from './repository-get';
import { repositoryList } from './repository-list';
import { createMergeQueueDequeue } from './merge-queue-dequeue';
import { createMergeQueueEnqueue } from './merge-queue-enqueue';
import { createMergeQueueFreeze, createMergeQueueUnfreeze } from './merge-queue-freeze';
import type { MergeQueuePort } from './merge-queue-port';
import { createMergeQueueStatus } from './merge-queue-status';
import type { RepositorySettingsMirror } from './repository-settings-mirror';
import type { AnyTool } from './tool';

/** The tools a planner may use and the executor may run, by name. */
export interface ToolCatalog {
  readonly tools: readonly AnyTool[];
  get(name: string): AnyTool | undefined;
  names(): string[];
}

export function createToolCatalog(tools: readonly AnyTool[]): ToolCatalog {
  const byName = new Map<string, AnyTool>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`Duplicate tool name ${tool.name}`);
    byName.set(tool.name, tool);
  }
  return { tools: [...tools], get: (name) => byName.get(name), names: () => [...byName.keys()] };
}

/**
 * Every built-in tool; the stateful ones get their stores injected. The repository template tools
 * come with a template store.
 */
export function createDefaultToolCatalog(deps: { autoMerges: AutoMergeStore; templates?: RepositoryTemplateStore; mergeQueue?: MergeQueuePort; settingsMirror?: RepositorySettingsMirror }): ToolCatalog {
  const templates = deps.templates;
  // The merge queue's tools come with the queue (wired at the composition root).
  const mergeQueue = deps.mergeQueue;
  const queueTools = mergeQueue
    ? [createMergeQueueEnqueue({ mergeQueue }), createMergeQueueDequeue({ mergeQueue }), createMergeQueueStatus({ mergeQueue }), createMergeQueueFreeze({ mergeQueue }), createMergeQueueUnfreeze({ mergeQueue })]
    : [];
  // Template previews read the mirror's settings, and applies keep them, when the root gives the mirror.
  const withMirror = { templates, ...(deps.settingsMirror ? { settingsMirror: deps.settingsMirror } : {}) };
  const templateTools = templates
    ? [createRepositoryCreateFromTemplate({ ...withMirror, templates }), createRepositoryPreviewTemplate({ ...withMirror, templates }), createRepositoryApplyTemplate({ ...withMirror, templates }), createRepositoryCheckDrift({ ...withMirror, templates })]
    : [];
  return createToolCatalog([
    repositoryList,
    repositoryGet,
    repositoryCreate,
    ...templateTools,
    branchCreate,
    branchDelete,
    branchListStale,
    branchDeleteMany,
    branchRestrictionEnsure,
    defaultReviewerAdd,
    pullRequestOpen,
    pullRequestUpdate,
    pullRequestComment,
    pullRequestApprove,
    pullRequestUnapprove,
    pullRequestRequestChanges,
    pullRequestDecline,
    pullRequestMerge,
    pullRequestAddReviewers,
    createPullRequestMergeWhenGreen(deps),
    createPullRequestCancelAutoMerge(deps),
    pullRequestStatus,
    buildStatusReport,
    pipelineTrigger,
    pipelineStop,
    pipelineRerunFailed,
    pipelineRerun,
    pipelineList,
    pipelineFailedStepLog,
    ...queueTools,
  ] as AnyTool[]);
}
