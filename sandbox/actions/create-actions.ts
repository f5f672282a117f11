import { type ActionsDeps, createActionContext } from './action-context';
import { type CommentActions, createCommentActions } from './comment-actions';
import { createMergeActions, type MergeActions } from './merge-actions';
import { createPipelineActions, type PipelineActions } from './pipeline-actions';
import { createPullRequestActions, type PullRequestActions } from './pull-request-actions';
import { createReportActions, type ReportActions } from './report-actions';
import { createRepositoryActions, type RepositoryActions } from './repository-actions';
import { createSettingsActions, type SettingsActions } from './settings-actions';

export type { ActionsDeps, ActionTimings, PullRequestRef } from './action-context';
export type { MergeStrategy, MergeOptions } from './merge-actions';
export type { TriggerPipelineInput } from './pipeline-actions';

/** Every state change of the sandbox; REST routes and host pages call these, so both fire the same webhooks. */
export type SandboxActions = PullRequestActions & CommentActions & MergeActions & RepositoryActions & SettingsActions & PipelineActions & ReportActions;

export function createActions(deps: ActionsDeps): SandboxActions {
  const c = createActionContext(deps);
  const repository = createRepositoryActions(c);
  return {
    ...createPullRequestActions(c),
    ...createCommentActions(c),
    ...createMergeActions(c),
    ...repository,
    ...createSettingsActions(c),
    ...createPipelineActions(c, repository),
    ...createReportActions(c),
  };
}
