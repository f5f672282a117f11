import { describe, expect, it } from 'vitest';
import { DEFAULT_REAP_AFTER_MS, reapStaleBuilds, type TrackedBuildStatus } from '../../../server/ci';

const base: Omit<TrackedBuildStatus, 'key' | 'state' | 'updatedOn'> = {
  repository: 'acme/widgets',
  commit: '8d3f1c2b7a6e5d4c3b2a19f8e7d6c5b4a3928170',
  name: 'widgets-build #57',
  url: 'https://jenkins.example.com/job/widgets-build/57/',
  refname: 'feature/login',
};

describe('the reaper rule', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const statuses: TrackedBuildStatus[] = [
    { ...base, key: 'stuck', state: 'INPROGRESS', updatedOn: '2026-11-30T11:59:59Z' },
    { ...base, key: 'recent', state: 'INPROGRESS', updatedOn: '2026-12-01T11:00:00Z' },
    { ...base, key: 'old-but-done', state: 'FAILED', updatedOn: '2026-11-01T00:00:00Z' },
    { ...base, key: 'exactly-a-day', state: 'INPROGRESS', updatedOn: '2026-11-30T12:00:00Z' },
  ];

  it('stops only INPROGRESS statuses older than the limit, saying why, keeping key, name, url and refname', () => {
    const reaped = reapStaleBuilds(statuses, { now });
    expect(reaped).toEqual([
      {
        repository: 'acme/widgets',
        commit: base.commit,
        status: {
          key: 'stuck',
          state: 'STOPPED',
          name: base.name,
          url: base.url,
          refname: 'feature/login',
          description: expect.stringMatching(/no result from the CI for over 24 hours.*Re-run/),
        },
      },
    ]);
  });

  it('takes the limit from configuration', () => {
    const reaped = reapStaleBuilds(statuses, { now, maxAgeMs: 30 * 60 * 1000 });
    expect(reaped.map((entry) => entry.status.key)).toEqual(['stuck', 'recent', 'exactly-a-day']);
    expect(reaped[0]?.status.description).toMatch(/30 minutes/);
  });

  it('reaps nothing as the clock moves up to the limit, then reaps', () => {
    const one: TrackedBuildStatus[] = [{ ...base, key: 'k', state: 'INPROGRESS', updatedOn: '2026-12-01T00:00:00Z' }];
    const start = Date.parse('2026-12-01T00:00:00Z');
    expect(reapStaleBuilds(one, { now: new Date(start + DEFAULT_REAP_AFTER_MS) })).toEqual([]);
    expect(reapStaleBuilds(one, { now: new Date(start + DEFAULT_REAP_AFTER_MS + 1) })).toHaveLength(1);
  });
});
