export {
  ciBuildStateSchema,
  ciFindingSchema,
  ciProviderSchema,
  type CiAdapter,
  type CiAttachments,
  type CiBuildResult,
  type CiBuildState,
  type CiDelivery,
  type CiFinding,
  type CiParseOutcome,
  type CiProvider,
  type CiRun,
} from './ci-build-result';
export { CiPayloadError, CiSignatureError, CiTargetNotFoundError, UnknownCiIntegrationError, UnknownCiProviderError } from './errors';
export { CI_PROVIDERS, getCiAdapter } from './get-ci-adapter';
export { genericBuildPayloadSchema, type GenericBuildPayload } from './generic-ci-adapter';
export { CI_STATE_TO_BITBUCKET, toBitbucketStatus, type CiStatusUpdate } from './to-bitbucket-status';
export { MAX_STATUS_KEY_LENGTH, toStatusKey } from './to-status-key';
export { decideStatusUpdate, toStatusFingerprint, type ReportedStatus, type StatusUpdateDecision } from './decide-status-update';
export { parseJunit, type JunitResult, type TestSummary } from './parse-junit';
export { parseSarif, type SarifResult } from './parse-sarif';
export { toAnnotationBatches, toCodeInsightsReports, type CodeInsightsReportPlan } from './to-code-insights';
export { DEFAULT_REAP_AFTER_MS, reapStaleBuilds, type ReapedBuildStatus, type TrackedBuildStatus } from './reap-stale-builds';
export { toRepositoryHint } from './repository-hint';
export type {
  CiDeliveryOutcome,
  CiDeliveryRecord,
  CiIntegration,
  CiIntegrationStore,
  CiReportedRecord,
  CiStatusRef,
} from './ci-integration-store';
export { signCiBody, verifyCiSignature, type CiSignatureCheck } from './verify-ci-signature';
export { ciReportPlanSchema, reportCiBuild, type CiClient, type CiReportOutcome, type CiReportPlan } from './report-ci-build';
export { findCiIntegration, planCiDelivery, type CiDeliveryInput, type CiDeliveryPlan, type CiPlanDeps } from './plan-ci-delivery';
export { reapCiStatuses } from './reap-ci-statuses';
export { BUILD_FAILURES_STICKY_KEY, planBuildFailureComment, type BuildFailureComment, type HeadStatus } from './plan-build-failure-comment';
