export { createMemoryJobQueue } from './memory-job-queue';
export { createSqlJobQueue } from './sql-job-queue';
export { createWorker, toJobFailure } from './worker';
export type { JobContext, JobHandler, StopOptions, Worker, WorkerOptions } from './worker';
export { InvalidJobError, JobAbortedError, JobError, LeaseLostError, PermanentJobError, RetryableJobError } from './errors';
export { DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_POLICY, JOB_STATES, getRetryDelayMs } from './job-queue';
export type {
  ClaimOptions,
  EnqueueInput,
  Job,
  JobFailure,
  JobQueue,
  JobQueueOptions,
  JobState,
  ListJobsOptions,
  RetryPolicy,
} from './job-queue';
export { createDeliveryIntake } from './delivery-intake';
export type { DeliveryIntake, DeliveryJobSource, IntakeInput } from './delivery-intake';
export { createRuleAutomationHandlers, toDeliveryJobSources } from './rule-automation';
export type { RuleAutomation, RuleAutomationDeps, RulePlanRun } from './rule-automation';
export { toWebhookJob, WEBHOOK_COMMENT_JOB, PULL_REQUEST_SYNC_JOB } from './webhook-jobs';
export { COALESCE_WINDOW_MS, PULL_REQUEST_REVIEW_EVENTS, toCoalesceWindow } from './coalesce-window';
export type { DeliveryFacts, PullRequestSyncJob, WebhookCommentJob } from './webhook-jobs';
export { createJobHandlers, AGENT_EXECUTE_JOB, agentExecuteJobSchema, enqueueAgentExecution, toToolTenant } from './handlers';
export type { AgentExecuteJob, AutomationDeps, AutomationInput } from './handlers';
export { createScheduler, toPeriodKey, toScheduledJob } from './scheduler';
export type { RecurringJob, Scheduler, SchedulerOptions } from './scheduler';
export { createReceiver, UnknownEventTypeError } from './receive';
export type { AutomationEvent, Receiver } from './receive';
export { createTriggerContext, withTriggerContext } from './trigger-context';
export type { ContextHandler, InstallationClient, TriggerContext, TriggerContextDeps } from './trigger-context';
