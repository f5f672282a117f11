import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../client/api/api-error';
import { waitForAgentJob, type PollClock } from '../../../client/api/wait-for-agent-job';
import type { AgentJobView } from '../../../server/web/api/contracts';
import { createAuditEntry, createJob } from '../agent-fixtures';

/** A clock whose time moves only when the poller waits. */
const createFakeClock = (onWait: (ms: number) => void = () => undefined): PollClock & { waits: number[]; time: number } => {
  const clock = {
    time: 1_000,
    waits: [] as number[],
    now: () => clock.time,
    wait: async (ms: number) => {
      clock.waits.push(ms);
      clock.time += ms;
      onWait(ms);
    },
  };
  return clock;
};

const answers = (...jobs: Array<AgentJobView | Error>) => {
  const asked: string[] = [];
  const getJob = async (jobId: string): Promise<AgentJobView> => {
    asked.push(jobId);
    const next = jobs.length > 1 ? jobs.shift() : jobs[0];
    if (!next) throw new Error('no answer');
    if (next instanceof Error) throw next;
    return next;
  };
  return { getJob, asked };
};

const done = createJob({ state: 'succeeded', done: true, audit: createAuditEntry() });

describe('waitForAgentJob', () => {
  it('asks at once, then every interval, until the job is done', async () => {
    const clock = createFakeClock();
    const { getJob, asked } = answers(createJob({ state: 'queued' }), createJob(), done);
    await expect(waitForAgentJob({ getJob, jobId: 'job-1', clock })).resolves.toEqual({ status: 'done', job: done });
    expect(asked).toEqual(['job-1', 'job-1', 'job-1']);
    expect(clock.waits).toEqual([700, 700]);
  });

  it('gives up with the last answer once the time is up', async () => {
    const clock = createFakeClock();
    const running = createJob();
    const { getJob, asked } = answers(running);
    const outcome = await waitForAgentJob({ getJob, jobId: 'job-1', clock, intervalMs: 700, timeoutMs: 60_000 });
    expect(outcome).toEqual({ status: 'timeout', job: running });
    // 60 s at one question per 700 ms: the first at 0 ms, then 85 more.
    expect(asked).toHaveLength(86);
    expect(clock.time - 1_000).toBeLessThanOrEqual(60_000);
  });

  it('stops quietly when aborted while waiting', async () => {
    const controller = new AbortController();
    const clock = createFakeClock(() => controller.abort());
    const { getJob, asked } = answers(createJob());
    await expect(waitForAgentJob({ getJob, jobId: 'job-1', clock, signal: controller.signal })).resolves.toEqual({ status: 'aborted' });
    expect(asked).toHaveLength(1);
  });

  it('does not ask at all when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { getJob, asked } = answers(done);
    await expect(waitForAgentJob({ getJob, jobId: 'job-1', clock: createFakeClock(), signal: controller.signal })).resolves.toEqual({
      status: 'aborted',
    });
    expect(asked).toEqual([]);
  });

  it('rides out a few network or server failures', async () => {
    const clock = createFakeClock();
    const { getJob } = answers(new ApiError(0, 'network_error', 'offline'), new ApiError(503, 'server_error', 'busy'), done);
    await expect(waitForAgentJob({ getJob, jobId: 'job-1', clock })).resolves.toEqual({ status: 'done', job: done });
  });

  it('rejects on a 4xx, and after too many failures in a row', async () => {
    const gone = answers(new ApiError(404, 'not_found', 'No such job'));
    await expect(waitForAgentJob({ getJob: gone.getJob, jobId: 'job-1', clock: createFakeClock() })).rejects.toMatchObject({ status: 404 });

    const down = answers(new ApiError(502, 'server_error', 'down'));
    await expect(
      waitForAgentJob({ getJob: down.getJob, jobId: 'job-1', clock: createFakeClock(), maxTransientFailures: 2 }),
    ).rejects.toMatchObject({ status: 502 });
    expect(down.asked).toHaveLength(3);
  });

  it('waits on real timers and wakes early on abort', async () => {
    const { realClock } = await import('../../../client/api/wait-for-agent-job');
    const controller = new AbortController();
    const started = Date.now();
    const waiting = realClock.wait(10_000, controller.signal);
    controller.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
