import type { AgentJobView } from '../../server/web/api/contracts';
import { ApiError } from './api-error';

/** Time as the poller sees it; inject a fake in tests. `wait` must resolve early when `signal` aborts. */
export interface PollClock {
  now(): number;
  wait(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface WaitForAgentJobOptions {
  getJob: (jobId: string) => Promise<AgentJobView>;
  jobId: string;
  intervalMs?: number;
  timeoutMs?: number;
  /** Consecutive network or 5xx failures tolerated before giving up (the job keeps running server-side). */
  maxTransientFailures?: number;
  clock?: PollClock;
  signal?: AbortSignal;
}

export type AgentJobWait =
  | { status: 'done'; job: AgentJobView }
  /** Still not done after timeoutMs; `job` is the last answer, if any. */
  | { status: 'timeout'; job: AgentJobView | null }
  | { status: 'aborted' };

export const realClock: PollClock = {
  now: () => Date.now(),
  wait: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

const isTransient = (error: unknown): boolean => error instanceof ApiError && (error.status === 0 || error.status >= 500);

/**
 * Polls GET /api/agent/jobs/:jobId until the job is `done`, the time is up, or `signal` aborts.
 * Asks at once, then every intervalMs. A 4xx (job unknown, session expired) rejects at once.
 */
export const waitForAgentJob = async ({
  getJob,
  jobId,
  intervalMs = 700,
  timeoutMs = 60_000,
  maxTransientFailures = 3,
  clock = realClock,
  signal,
}: WaitForAgentJobOptions): Promise<AgentJobWait> => {
  const deadline = clock.now() + timeoutMs;
  let last: AgentJobView | null = null;
  let failures = 0;
  for (;;) {
    if (signal?.aborted) return { status: 'aborted' };
    try {
      last = await getJob(jobId);
      failures = 0;
    } catch (error) {
      if (!isTransient(error) || ++failures > maxTransientFailures) throw error;
    }
    if (signal?.aborted) return { status: 'aborted' };
    if (last?.done) return { status: 'done', job: last };
    if (clock.now() + intervalMs > deadline) return { status: 'timeout', job: last };
    await clock.wait(intervalMs, signal);
  }
};
