export { aggregateBuildState } from './aggregate-build-state';
export type { AggregateBuildState, BuildStatusState } from './aggregate-build-state';
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
