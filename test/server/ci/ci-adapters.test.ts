import { describe, expect, it } from 'vitest';
import { CiPayloadError, getCiAdapter, UnknownCiProviderError, type CiBuildResult, type CiParseOutcome } from '../../../server/ci';
import { listCiDeliveries, loadCiDelivery } from './ci-fixtures';

const SHA = '8d3f1c2b7a6e5d4c3b2a19f8e7d6c5b4a3928170';

function parseFixture(provider: string, path: string): CiParseOutcome {
  return getCiAdapter(provider).parse(loadCiDelivery(path));
}

function buildFrom(provider: string, path: string): CiBuildResult {
  const outcome = parseFixture(provider, path);
  if (outcome.kind !== 'build') throw new Error(`${path} was ignored: ${outcome.reason}`);
  return outcome.result;
}

function payloadError(run: () => unknown): CiPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof CiPayloadError) return error;
    throw error;
  }
  throw new Error('expected a CiPayloadError');
}

describe('every CI fixture', () => {
  it.each(listCiDeliveries())('%s parses %s', (provider, path) => {
    const outcome = parseFixture(provider, path);
    if (outcome.kind === 'build') {
      expect(outcome.result.commit).toBe(SHA);
      expect(outcome.result.url).toMatch(/^https:\/\//);
    } else expect(outcome.reason.length).toBeGreaterThan(0);
  });
});

describe('GitHub Actions', () => {
  it('reads a workflow_run in progress, on the PR branch', () => {
    const result = buildFrom('github-actions', 'github-actions/workflow-run-in-progress.json');
    expect(result).toMatchObject({
      provider: 'github-actions',
      check: 'workflow:.github/workflows/ci.yml',
      name: 'CI',
      state: 'running',
      repository: 'acme/widgets',
      branch: 'feature/login',
      pullRequestId: 12,
      url: 'https://github.com/acme/widgets/actions/runs/7132451290',
      run: { number: 412, attempt: 1 },
      occurredAt: '2026-11-30T10:00:09Z',
    });
  });

  it('reads requested as queued, a failed conclusion as failure, a re-run as a later attempt, skipped as skipped', () => {
    expect(buildFrom('github-actions', 'github-actions/workflow-run-requested.json').state).toBe('queued');
    expect(buildFrom('github-actions', 'github-actions/workflow-run-completed-failure.json').state).toBe('failure');
    const rerun = buildFrom('github-actions', 'github-actions/workflow-run-rerun-success.json');
    expect(rerun).toMatchObject({ state: 'success', run: { number: 412, attempt: 2 } });
    expect(buildFrom('github-actions', 'github-actions/workflow-run-completed-skipped.json').state).toBe('skipped');
  });

  it('reads check_run created and completed, keyed by app and check name, linking to the job', () => {
    const created = buildFrom('github-actions', 'github-actions/check-run-created.json');
    const completed = buildFrom('github-actions', 'github-actions/check-run-completed-success.json');
    expect(created).toMatchObject({ state: 'queued', check: 'check:github-actions/build (20.x)' });
    expect(completed).toMatchObject({
      state: 'success',
      check: created.check,
      url: 'https://github.com/acme/widgets/actions/runs/7132451290/job/19283746501',
      description: 'Build finished',
      pullRequestId: 12,
    });
  });

  it('acknowledges ping, rerequested and events it does not read without a build', () => {
    expect(parseFixture('github-actions', 'github-actions/ping.json').kind).toBe('ignored');
    expect(parseFixture('github-actions', 'github-actions/check-run-rerequested.json').kind).toBe('ignored');
    const push = getCiAdapter('github-actions').parse({ body: { ref: 'refs/heads/main' }, headers: { 'X-GitHub-Event': 'push' } });
    expect(push).toMatchObject({ kind: 'ignored' });
  });

  it('refuses a body without the event header, and names the missing field of a broken one', () => {
    const { body } = loadCiDelivery('github-actions/workflow-run-in-progress.json');
    expect(payloadError(() => getCiAdapter('github-actions').parse({ body, headers: {} })).message).toMatch(/X-GitHub-Event/);
    const broken = structuredClone(body) as { workflow_run: Record<string, unknown> };
    delete broken.workflow_run.head_sha;
    const error = payloadError(() => getCiAdapter('github-actions').parse({ body: broken, headers: { 'x-github-event': 'workflow_run' } }));
    expect(error.code).toBe('CI_PAYLOAD_INVALID');
    expect(error.problems.join()).toMatch(/workflow_run\.head_sha/);
  });

  it('refuses a completed run with no conclusion', () => {
    const { body, headers } = loadCiDelivery('github-actions/workflow-run-completed-failure.json');
    const broken = structuredClone(body) as { workflow_run: Record<string, unknown> };
    broken.workflow_run.conclusion = null;
    expect(payloadError(() => getCiAdapter('github-actions').parse({ body: broken, headers })).message).toMatch(/conclusion/);
  });
});

describe('GitLab CI', () => {
  it('reads a pipeline event, on the merge request source branch, with GitLab times made ISO', () => {
    expect(buildFrom('gitlab', 'gitlab/pipeline-running.json')).toMatchObject({
      check: 'pipeline',
      state: 'running',
      branch: 'feature/login',
      repository: 'acme/widgets',
      url: 'https://gitlab.example.com/acme/widgets/-/pipelines/98231',
      run: { number: 98231, attempt: 1 },
      occurredAt: '2026-11-30T10:00:02.000Z',
    });
    expect(buildFrom('gitlab', 'gitlab/pipeline-failed.json')).toMatchObject({ state: 'failure', occurredAt: '2026-11-30T10:04:51.000Z' });
  });

  it('reads a job event with its failure reason and a link to the job', () => {
    expect(buildFrom('gitlab', 'gitlab/job-failed.json')).toMatchObject({
      check: 'job:unit',
      name: 'test: unit',
      state: 'failure',
      description: 'Failed: script failure',
      url: 'https://gitlab.example.com/acme/widgets/-/jobs/552101',
    });
  });

  it('maps manual to not built and names an unknown status', () => {
    const { body } = loadCiDelivery('gitlab/pipeline-running.json');
    const manual = structuredClone(body) as { object_attributes: { status: string } };
    manual.object_attributes.status = 'manual';
    const outcome = getCiAdapter('gitlab').parse({ body: manual, headers: {} });
    expect(outcome.kind === 'build' && outcome.result.state).toBe('not_built');
    manual.object_attributes.status = 'exploded';
    expect(payloadError(() => getCiAdapter('gitlab').parse({ body: manual, headers: {} })).message).toMatch(/object_attributes\.status.*exploded/);
  });

  it('ignores other GitLab events and refuses a body with no object_kind', () => {
    expect(getCiAdapter('gitlab').parse({ body: { object_kind: 'push' }, headers: {} }).kind).toBe('ignored');
    expect(payloadError(() => getCiAdapter('gitlab').parse({ body: [], headers: {} })).message).toMatch(/object_kind/);
  });
});

describe('Jenkins', () => {
  it('reads each phase: queued, started, then the build status', () => {
    expect(buildFrom('jenkins', 'jenkins/queued.json').state).toBe('queued');
    const started = buildFrom('jenkins', 'jenkins/started.json');
    expect(started).toMatchObject({
      check: 'job:widgets-build',
      state: 'running',
      repository: 'acme/widgets',
      branch: 'feature/login',
      url: 'https://jenkins.example.com/job/widgets-build/57/',
      run: { number: 57, attempt: 1 },
    });
    const completed = buildFrom('jenkins', 'jenkins/completed-unstable.json');
    expect(completed.state).toBe('unstable');
    expect(Date.parse(completed.occurredAt ?? '') - Date.parse(started.occurredAt ?? '')).toBe(241_000);
    expect(buildFrom('jenkins', 'jenkins/completed-not-built.json').state).toBe('not_built');
    expect(buildFrom('jenkins', 'jenkins/completed-aborted.json').state).toBe('aborted');
  });

  it('says what to fix when the job has no Git checkout', () => {
    const { body } = loadCiDelivery('jenkins/started.json');
    const noScm = structuredClone(body) as { build: Record<string, unknown> };
    delete noScm.build.scm;
    expect(payloadError(() => getCiAdapter('jenkins').parse({ body: noScm, headers: {} })).message).toMatch(/build\.scm.*Git plugin/);
  });
});

describe('CircleCI', () => {
  it('reads workflow-completed and job-completed, with the event id for de-duplication', () => {
    expect(buildFrom('circleci', 'circleci/workflow-completed-failed.json')).toMatchObject({
      check: 'workflow:build-and-test',
      state: 'failure',
      repository: 'acme/widgets',
      branch: 'feature/login',
      deliveryId: '3888f21b-eaa7-38e3-8f3d-75a63bba8895',
      run: { number: 130, attempt: 1 },
    });
    expect(buildFrom('circleci', 'circleci/job-completed-success.json')).toMatchObject({
      check: 'job:build-and-test/test',
      state: 'success',
      url: 'https://app.circleci.com/pipelines/bb/acme/widgets/130/workflows/fda08377-fe7e-46b1-8992-3a7aaecac9c3/jobs/402',
    });
  });

  it('refuses an unknown type and an unknown status', () => {
    expect(payloadError(() => getCiAdapter('circleci').parse({ body: {}, headers: {} })).message).toMatch(/type/);
    const { body } = loadCiDelivery('circleci/workflow-completed-failed.json');
    const odd = structuredClone(body) as { workflow: { status: string } };
    odd.workflow.status = 'on_fire';
    expect(payloadError(() => getCiAdapter('circleci').parse({ body: odd, headers: {} })).message).toMatch(/workflow\.status.*on_fire/);
  });
});

describe('generic format', () => {
  it('carries every field through, commit lower-cased, JUnit and findings attached', () => {
    const result = buildFrom('generic', 'generic/failure-with-junit.json');
    expect(result).toMatchObject({
      provider: 'generic',
      check: 'unit-tests',
      name: 'Unit tests',
      state: 'failure',
      repository: 'acme/widgets',
      branch: 'feature/login',
      pullRequestId: 12,
      description: '3 of 5 tests failed',
      run: { number: 41, attempt: 1 },
    });
    expect(result.attachments.junit).toHaveLength(1);
    expect(result.attachments.findings).toEqual([expect.objectContaining({ path: 'src/login.ts', severity: 'low', result: 'failed' })]);
    const minimal = buildFrom('generic', 'generic/running-minimal.json');
    expect(minimal).toMatchObject({ name: 'lint', state: 'running' });
    const upper = getCiAdapter('generic').parse({ body: { ...loadBody('generic/running-minimal.json'), commit: SHA.toUpperCase() }, headers: {} });
    expect(upper.kind === 'build' && upper.result.commit).toBe(SHA);
  });

  it.each([
    [{ commit: 'not-a-sha' }, /commit: expected a commit hash/],
    [{ state: 'green' }, /state/],
    [{ url: 'javascript:alert(1)' }, /url/],
    [{ version: 2 }, /version/],
    [{ check: '' }, /check/],
  ])('refuses %j and says which field', (change, message) => {
    const body = { ...loadBody('generic/running-minimal.json'), ...change };
    expect(payloadError(() => getCiAdapter('generic').parse({ body, headers: {} })).message).toMatch(message);
  });
});

describe('providers', () => {
  it('refuses an unknown provider name', () => {
    expect(() => getCiAdapter('travis')).toThrow(UnknownCiProviderError);
    expect(() => getCiAdapter('__proto__')).toThrow(UnknownCiProviderError);
  });
});

function loadBody(path: string): Record<string, unknown> {
  return loadCiDelivery(path).body as Record<string, unknown>;
}
