export { aggregateBuildState } from './aggregate-build-state';
export type { AggregateBuildState, BuildStatusState } from './aggregate-build-state';
export { aggregateCommitStatuses, toCurrentBuildStatuses, type KeyedBuildStatus } from './current-build-statuses';
export { isRestrictionForBranch, toBranchGlob, type RestrictionScope } from './branch-matches';
export {
  isReadyToMerge,
  type CheckResult,
  type MergeReadiness,
  type ReadinessCheck,
  type ReadinessCheckName,
  type ReadinessOptions,
  type ReadinessParticipant,
  type ReadinessPullRequest,
  type ReadinessRestriction,
  type ReadinessStatus,
  type ReadinessTask,
} from './merge-readiness';
export {
  evaluateReadiness,
  type ConditionId,
  type FreezeWindow,
  type OracleMergeStrategy,
  type OracleParticipant,
  type OracleRestriction,
  type OracleStatus,
  type Readiness,
  type ReadinessCondition,
  type ReadinessInput,
  type ReadinessOracleOptions,
  type ReadinessPolicy,
  type Unblocker,
} from './evaluate-readiness';
export { chooseReviewers, findOwningRules, findRefusedReviewer, toPathGlob, type PathOwnerRule, type ReviewerChoice, type ReviewerChoiceInput, type SkipReason } from './choose-reviewers';
export { decideStaleAction, type StaleDecision, type StalePolicy, type StalePullRequest } from './decide-stale-action';
export { planBotPullRequests, renderTemplate, type BotPullRequestPlan, type BotPullRequestRule, type BranchPush } from './plan-bot-pull-requests';
export { checkDescription, type DescriptionCheck, type DescriptionPolicy } from './check-description';
export { READINESS_STATUS_KEY, toReadinessStatus } from './to-readiness-status';
