/** Public surface of the agent: tool catalog, planners, executor and their ports. */
export type { ClientContext, ClientResolver } from './client-resolver';
export {
  ConfirmationRequiredError,
  ExecutionInProgressError,
  ExecutionTakenOverError,
  InvalidPlanError,
  MissingScopesError,
  NotConnectedError,
  ToolError,
} from './errors';
export { defineTool, toJsonSchema, type Actor, type AnyTool, type FollowUp, type ToolDataOf, type Tool, type ToolActsAs, type StepAttempt, type ToolContext, type ToolLink, type ToolResult, type ToolRisk, type ToolTenant } from './tools/tool';
export { createDefaultToolCatalog, createToolCatalog, type ToolCatalog } from './tools/tool-catalog';
export { BOSUN_MARKER_PREFIX, toStickyMarker } from './tools/pull-request-comment';
export { createExecutor, type Executor, type ExecutorOptions } from './executor/create-executor';
export { describeFailure, describeTarget, type FailureDescription } from './executor/describe-failure';
export { stripSecrets } from './executor/strip-secrets';
export { hasWriteAccess } from './executor/has-write-access';
/** What the pullRequest.status tool reports (the readiness rule's verdict). */
export type { MergeReadiness } from '../rules';
export type {
  AuditEntry,
  AuditEntryInput,
  AuditStep,
  ExecuteOptions,
  ExecutionContext,
  ExecutionOutcome,
  ExecutionResult,
  ExecutionTrigger,
  Plan,
  PlanPreview,
  PlanSource,
  PlanStep,
  RecordedAction,
  StepOutcome,
  StepPreview,
} from './executor/plan';
export { DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE, type AuditFilter, type AuditPage, type AuditRecordInput, type AuditStore } from './stores/audit-store';
export { UNLEASED_STALE_AFTER_MS, type ExecutionClaim, type ExecutionFilter, type ExecutionRecord, type ExecutionStore, type ExecutionTakeover } from './stores/execution-store';
export type { AutoMerge, AutoMergeFilter, AutoMergeInput, AutoMergeState, AutoMergeStore } from './stores/auto-merge-store';
export { createMemoryAuditStore } from './stores/memory-audit-store';
export { createNameDirectory, type NameDirectory, type NameDirectoryOptions, type PersonName, type RepositoryName } from './stores/name-directory';
export { createNamingAuditStore, toNamedAuditEntry } from './stores/naming-audit-store';
export { createMemoryExecutionStore } from './stores/memory-execution-store';
export { createMemoryAutoMergeStore } from './stores/memory-auto-merge-store';
export type { ReviewerCursor, ReviewerCursorAdvance, ReviewerCursorStore } from './stores/reviewer-cursor-store';
export { createMemoryReviewerCursorStore } from './stores/memory-reviewer-cursor-store';
export {
  createPlannerChain,
  isClarification,
  isPlanningError,
  isReadOnlyPlan,
  type ClarificationChoice,
  type Planner,
  type PlannerContext,
  type PlannerFacts,
  type PlannerPerson,
  type PlannerRepo,
  type PlanningClarification,
  type PlanningError,
  type PlanOutcome,
} from './planner/planner';
export { COMMAND_SPECS, getCommandSpec, parseCommand, toHelpText, type BosunCommand, type BosunCommandName, type CommandSpec, type ParsedCommand } from './planner/parse-command';
export { createCommandPlanner, type CommandPlannerOptions } from './planner/command-planner';
export { createNaturalLanguagePlanner, NATURAL_LANGUAGE_EXAMPLES, planNaturalLanguage, toNaturalLanguageExamples } from './planner/natural-language-planner';
export {
  createMergeWhenGreenPlanner,
  MERGE_QUEUE_ENQUEUE_TOOL,
  toAutoMergeRepo,
  type MergeQueueEnqueuePlanInput,
  type MergeRoute,
  type MergeRouteContext,
  type MergeRouteResolver,
  type MergeWhenGreenContext,
  type MergeWhenGreenDecision,
  type MergeWhenGreenPlanner,
  type MergeWhenGreenPlannerOptions,
} from './planner/merge-when-green-planner';
export { createLlmPlanner, toLlmToolName, type LlmPlannerConfig } from './planner/llm-planner';
export { toRulePlan, toDigest, type RuleKind, type RulePlan } from './planner/rules-plan';
export { planPullRequestRules, planReviewerRetry, toRefusedReviewer, toReviewerChoice, type FailedReviewerStep, type PullRequestRuleFacts, type PullRequestRuleOptions } from './planner/rules-pull-request-planner';
export { planPullRequestRulesInTurn, planReviewerRetryInTurn, ReviewerCursorBusyError } from './planner/rules-reviewer-turn';
export { planPushRules } from './planner/rules-push-planner';
export { planStaleRule, STALE_STICKY_KEY, toStaleRemindedAt, type StalePullRequestFacts } from './planner/rules-stale-planner';
export { createRuleRecordDryRun, ruleRecordDryRun } from './tools/rule-record-dry-run';
export { BUILT_IN_RULE_KINDS, createRuleKindRegistry, type RuleKindRegistry, type RuleKinds } from './planner/rule-kinds';
export { createPullRequestRulesTools, toRulesPreviewText } from './tools/pull-request-rules';
export type { PullRequestRulesPort, PullRequestRulesPreview, RulePreviewEntry } from './tools/pull-request-rules-port';
export type { PushRuleFacts, RuleFactsSource } from './planner/rules-facts';
