import { afterEach, describe, expect, it } from 'vitest';
import { loadOpenApiValidator } from './helpers/openapi-validator';
import { ALL_SCOPES, type Harness, startHarness, waitFor } from './helpers/setup';

const spec = loadOpenApiValidator();
const API = '/2.0/repositories/acme/api';
const STATUS_EVENTS = ['repo:commit_status_created', 'repo:commit_status_updated'];
// The default seed has finished runs of acme/web (with their pipeline-N statuses); these tests run acme/api's.
const apiUuid = (h: Harness) => h.sandbox.state.repositories.find((r) => r.slug === 'api')!.uuid;

describe('sandbox pipelines', () => {
  let h: Harness;
  afterEach(async () => h?.close());
  const start = (pipelineStepMs = 30) =>
    startHarness({ descriptor: { scopes: ALL_SCOPES, modules: { webhooks: STATUS_EVENTS.map((event) => ({ event, url: '/webhook' })) } }, sandbox: { pipelineStepMs } });
  const trigger = (body: Record<string, unknown>) => h.api('POST', `${API}/pipelines/`, body);
  const getPipeline = async (uuid: string) => (await h.api('GET', `${API}/pipelines/${encodeURIComponent(uuid)}`)).json;

  it('runs PENDING → IN_PROGRESS → COMPLETED/SUCCESSFUL and posts INPROGRESS then SUCCESSFUL statuses', async () => {
    h = await start();
    const res = await trigger({ target: { type: 'pipeline_ref_target', ref_type: 'branch', ref_name: 'main' } });
    expect(res.status).toBe(201);
    expect(spec.validate('pipeline', res.json)).toEqual([]);
    expect(res.json).toMatchObject({ type: 'pipeline', build_number: 1, state: { name: 'PENDING' }, target: { ref_name: 'main', selector: { type: 'branches', pattern: 'main' } }, creator: { type: 'app_user' } });
    expect(res.headers.get('location')).toBe(res.json.links.self.href);
    const uuid = res.json.uuid as string;
    await waitFor(async () => (await getPipeline(uuid)).state.name === 'IN_PROGRESS');
    await waitFor(async () => (await getPipeline(uuid)).state.name === 'COMPLETED');
    const done = await getPipeline(uuid);
    expect(done.state).toMatchObject({ type: 'pipeline_state_completed', result: { name: 'SUCCESSFUL', type: 'pipeline_state_completed_successful' } });
    expect(spec.validate('pipeline', done)).toEqual([]);
    const steps = await h.api('GET', `${API}/pipelines/${encodeURIComponent(uuid)}/steps`);
    expect(spec.validate('paginated_pipeline_steps', steps.json)).toEqual([]);
    expect(steps.json.values.map((s: any) => [s.name, s.state.result.name])).toEqual([['Build and test', 'SUCCESSFUL'], ['Deploy to staging', 'SUCCESSFUL']]);
    const step = await h.api('GET', `${API}/pipelines/${encodeURIComponent(uuid)}/steps/${encodeURIComponent(steps.json.values[0].uuid)}`);
    expect(spec.validate('pipeline_step', step.json)).toEqual([]);
    const log = await h.api('GET', `${API}/pipelines/${encodeURIComponent(uuid)}/steps/${encodeURIComponent(steps.json.values[0].uuid)}/log`);
    expect(log.status).toBe(200);
    expect(log.text).toContain('+ npm test');
    await h.sandbox.idle();
    const hooks = h.app.received.filter((r) => r.path === '/webhook');
    expect(hooks.map((r) => [r.headers['x-event-key'], (r.body.data as any).commit_status.state])).toEqual([
      ['repo:commit_status_created', 'INPROGRESS'],
      ['repo:commit_status_updated', 'SUCCESSFUL'],
    ]);
    // Keyed as Pipelines keys its statuses: Java's String.hashCode() of the branch (samples/webhooks/repo.commit_status_*--drone-go-scm.json).
    expect((hooks[0]!.body.data as any).commit_status).toMatchObject({
      key: '3343801', name: 'Pipeline #1 for main', refname: 'main', type: 'build', description: '',
      url: 'http://sandbox.test/acme/api/addon/pipelines/home#!/results/1',
    });
  });

  it('custom pipeline "fail" and SANDBOX_RESULT=FAILED end FAILED with a FAILED status; lists filter and sort', async () => {
    h = await start(10);
    const custom = await trigger({ target: { ref_type: 'branch', ref_name: 'main', selector: { type: 'custom', pattern: 'fail' } } });
    const variable = await trigger({ target: { ref_name: 'feature/rate-limit' }, variables: [{ key: 'SANDBOX_RESULT', value: 'FAILED' }] });
    expect(variable.json.target.selector).toEqual({ type: 'default' });
    for (const p of [custom, variable]) await waitFor(async () => (await getPipeline(p.json.uuid)).state.name === 'COMPLETED');
    expect((await getPipeline(custom.json.uuid)).state.result.name).toBe('FAILED');
    expect((await getPipeline(variable.json.uuid)).state.result.name).toBe('FAILED');
    const status = h.sandbox.state.statuses.find((s) => s.key === '3343801' && s.repoUuid === apiUuid(h))!;
    expect(status).toMatchObject({ state: 'FAILED', name: 'Pipeline #1 for main' });
    // feature/rate-limit's run keys its status by its own branch (Java's "feature/rate-limit".hashCode()).
    expect(h.sandbox.state.statuses.find((s) => s.refname === 'feature/rate-limit' && /^Pipeline #\d+ for /.test(s.name) && s.repoUuid === apiUuid(h))!.key).toBe('1594656071');
    const list = await h.api('GET', `${API}/pipelines?sort=-created_on&target.branch=main`);
    expect(spec.validate('paginated_pipelines', list.json)).toEqual([]);
    expect(list.json.values.map((p: any) => p.build_number)).toEqual([1]);
    const asc = await h.api('GET', `${API}/pipelines?sort=build_number`);
    expect(asc.json.values.map((p: any) => p.build_number)).toEqual([1, 2]);
    expect((await trigger({ target: { ref_name: 'main', selector: { type: 'custom', pattern: 'nope' } } })).status).toBe(400);
    expect((await trigger({ target: { ref_name: 'no-branch' } })).status).toBe(400);
    const noYml = await h.api('POST', '/2.0/repositories/acme/fresh', {});
    expect(noYml.status).toBe(200);
    const missing = await h.api('POST', '/2.0/repositories/acme/fresh/pipelines/', { target: { ref_name: 'main' } });
    expect(missing.status).toBe(400);
    expect(missing.json.error.data.key).toBe('result-service.pipeline.yml-not-found');
  });

  it('a later run on the same branch and commit overwrites the earlier run\'s status (one key per branch); SANDBOX_FLAKY fails only the first run', async () => {
    h = await start(10);
    const flaky = [{ key: 'SANDBOX_FLAKY', value: 'true' }];
    const first = await trigger({ target: { ref_name: 'main' }, variables: flaky });
    await waitFor(async () => (await getPipeline(first.json.uuid)).state.name === 'COMPLETED');
    expect((await getPipeline(first.json.uuid)).state.result.name).toBe('FAILED');
    const hash = first.json.target.commit.hash as string;
    const again = await trigger({ target: { ref_name: 'main', commit: { type: 'commit', hash } }, variables: flaky });
    await waitFor(async () => (await getPipeline(again.json.uuid)).state.name === 'COMPLETED');
    expect((await getPipeline(again.json.uuid)).state.result.name).toBe('SUCCESSFUL');
    const onCommit = h.sandbox.state.statuses.filter((s) => s.repoUuid === apiUuid(h) && s.commitHash === hash);
    expect(onCommit.map((s) => [s.key, s.state, s.name])).toEqual([['3343801', 'SUCCESSFUL', 'Pipeline #2 for main']]);
    const listed = await h.api('GET', `${API}/commit/${hash}/statuses`);
    expect(listed.json.values.map((s: any) => [s.key, s.state, s.url])).toEqual([['3343801', 'SUCCESSFUL', 'http://sandbox.test/acme/api/addon/pipelines/home#!/results/2']]);
  });

  it('stopPipeline answers 204 and ends STOPPED with a STOPPED status; stopping again answers 400', async () => {
    h = await start(10_000);
    const res = await trigger({ target: { ref_name: 'main', selector: { type: 'custom', pattern: 'deploy' } } });
    const path = `${API}/pipelines/${encodeURIComponent(res.json.uuid)}`;
    expect((await h.api('POST', `${path}/stopPipeline`)).status).toBe(204);
    const stopped = await getPipeline(res.json.uuid);
    expect(stopped.state).toMatchObject({ name: 'COMPLETED', result: { name: 'STOPPED', terminator: { type: 'app_user' } } });
    expect(spec.validate('pipeline', stopped)).toEqual([]);
    expect(h.sandbox.state.statuses.find((s) => s.key === '3343801' && s.repoUuid === apiUuid(h))!.state).toBe('STOPPED');
    const again = await h.api('POST', `${path}/stopPipeline`);
    expect(again.status).toBe(400);
    expect(spec.validate('error', again.json)).toEqual([]);
    expect((await h.api('GET', `${API}/pipelines/${encodeURIComponent('{00000000-0000-4000-8000-000000000000}')}`)).status).toBe(404);
  });
});
