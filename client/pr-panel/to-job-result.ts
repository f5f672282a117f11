import type { AgentJobView, AuditEntryView } from '../../server/web/api/contracts';

/** The outcome shown for a finished job: its audit entry's, or failed when the job died before writing one. */
export const toJobOutcome = (job: AgentJobView): AuditEntryView['outcome'] => job.audit?.outcome ?? 'failed';

/** What to say about a finished job: the audit message, the job's own error, or a fallback. */
export const toJobMessage = (job: AgentJobView): string =>
  job.audit?.message?.trim() || job.error?.trim() || (job.state === 'dead' ? 'The job failed before it could report.' : 'Done.');

/**
 * Whether the pull request may look different now, so the panel should load again:
 * the run succeeded, or it failed part-way after at least one step went through.
 */
export const isJobChangingData = (job: AgentJobView): boolean =>
  job.audit !== null && (job.audit.outcome === 'succeeded' || job.audit.steps.some((step) => step.outcome === 'succeeded'));
