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
