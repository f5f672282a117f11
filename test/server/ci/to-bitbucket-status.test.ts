import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CI_PROVIDERS,
  ciBuildStateSchema,
  toBitbucketStatus,
  toStatusKey,
  type CiBuildResult,
  type CiBuildState,
} from '../../../server/ci';

function result(state: CiBuildState, overrides: Partial<CiBuildResult> = {}): CiBuildResult {
  return {
    provider: 'jenkins',
    check: 'job:widgets-build',
    name: 'widgets-build #57',
    state,
    commit: '8d3f1c2b7a6e5d4c3b2a19f8e7d6c5b4a3928170',
    url: 'https://jenkins.example.com/job/widgets-build/57/',
    attachments: { junit: [], sarif: [], findings: [] },
    ...overrides,
  };
}

describe('the mapping table', () => {
  it.each([
    ['queued', 'INPROGRESS'],
    ['running', 'INPROGRESS'],
    ['success', 'SUCCESSFUL'],
    ['failure', 'FAILED'],
    ['unstable', 'FAILED'],
    ['error', 'FAILED'],
    ['cancelled', 'STOPPED'],
    ['aborted', 'STOPPED'],
    ['skipped', 'STOPPED'],
    ['not_built', 'STOPPED'],
  ] as const)('%s → %s', (state, expected) => {
    expect(toBitbucketStatus(result(state)).state).toBe(expected);
  });

  it('covers every state, and only success is ever SUCCESSFUL', () => {
    for (const state of ciBuildStateSchema.options) {
      const status = toBitbucketStatus(result(state));
      expect(status.state === 'SUCCESSFUL').toBe(state === 'success');
    }
  });

  it('explains a skipped or not-built check instead of leaving a bare STOPPED', () => {
    expect(toBitbucketStatus(result('skipped')).description).toMatch(/did not run/);
    expect(toBitbucketStatus(result('not_built')).description).toMatch(/Not built/);
    expect(toBitbucketStatus(result('skipped', { description: 'Skipped: docs only' })).description).toBe('Skipped: docs only');
  });

  it('carries name, url and description through, refname from the PR source branch when known', () => {
    const status = toBitbucketStatus(result('failure', { description: 'Tests failed', branch: 'origin-branch' }), { sourceBranch: 'feature/login' });
    expect(status).toEqual({
      key: toStatusKey('jenkins', 'job:widgets-build'),
      state: 'FAILED',
      name: 'widgets-build #57',
      url: 'https://jenkins.example.com/job/widgets-build/57/',
      description: 'Tests failed',
      refname: 'feature/login',
    });
    expect(toBitbucketStatus(result('failure', { branch: 'feature/x' })).refname).toBe('feature/x');
    expect(toBitbucketStatus(result('failure')).refname).toBeUndefined();
  });

  it('clips a description to Bitbucket’s 255 characters', () => {
    expect(toBitbucketStatus(result('failure', { description: 'x'.repeat(400) })).description).toHaveLength(255);
  });
});

describe('status keys', () => {
  it('keeps a short clean name readable', () => {
    expect(toStatusKey('github-actions', 'ci')).toBe('gha-ci');
    expect(toStatusKey('gitlab', 'pipeline')).toBe('gitlab-pipeline');
  });

  it('hashes a long name to at most 40 characters, keeping a readable start', () => {
    const key = toStatusKey('jenkins', 'job:acme-platform/widgets-service/PR-1234-feature-login-form');
    expect(key.length).toBeLessThanOrEqual(40);
    expect(key).toMatch(/^jenkins-job-acme-platform-[0-9a-f]{0,}/);
    expect(key).toMatch(/-[0-9a-f]{12}$/);
  });

  it('tells apart long names that share their start (the Jenkins plugin collision)', () => {
    const prefix = 'job:acme-platform/widgets-service/very-long-pipeline-name/';
    expect(toStatusKey('jenkins', `${prefix}unit`)).not.toBe(toStatusKey('jenkins', `${prefix}lint`));
  });

  it('is stable, ≤ 40 characters, and distinct per (provider, check) for any names', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CI_PROVIDERS),
        fc.string({ maxLength: 200 }),
        fc.constantFrom(...CI_PROVIDERS),
        fc.string({ maxLength: 200 }),
        (providerA, checkA, providerB, checkB) => {
          const a = toStatusKey(providerA, checkA);
          expect(a.length).toBeLessThanOrEqual(40);
          expect(a.length).toBeGreaterThan(0);
          expect(toStatusKey(providerA, checkA)).toBe(a);
          if (providerA !== providerB || checkA !== checkB) expect(toStatusKey(providerB, checkB)).not.toBe(a);
        },
      ),
      { numRuns: 500 },
    );
  });
});
