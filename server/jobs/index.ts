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
