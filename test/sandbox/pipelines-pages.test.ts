import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenApiValidator } from './helpers/openapi-validator';
import { ALL_SCOPES, type Harness, startHarness, waitFor } from './helpers/setup';

const spec = loadOpenApiValidator();
const WEB = '/2.0/repositories/acme/web';

describe('sandbox Pipelines: seeded runs and host pages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ descriptor: { scopes: ALL_SCOPES }, sandbox: { pipelineStepMs: 20 } });
  });
  afterAll(async () => h?.close());

  it('seeds finished runs of acme/web in the spec\'s shapes, with steps, logs and the status each posted', async () => {
    const list = await h.api('GET', `${WEB}/pipelines?sort=-created_on`);
    expect(list.status).toBe(200);
    expect(spec.validate('paginated_pipelines', list.json)).toEqual([]);
    const seeded = (list.json.values as Array<{ build_number: number; state: { name: string; result?: { name: string } } }>).filter((p) => p.build_number <= 3);
    expect(seeded.map((p) => [p.build_number, p.state.name, p.state.result?.name])).toEqual([
      [3, 'COMPLETED', 'STOPPED'], [2, 'COMPLETED', 'FAILED'], [1, 'COMPLETED', 'SUCCESSFUL'],
    ]);
    const failed = h.sandbox.state.pipelines.find((p) => p.buildNumber === 2 && p.steps.length === 2)!;
    const steps = await h.api('GET', `${WEB}/pipelines/${encodeURIComponent(failed.uuid)}/steps`);
    expect(spec.validate('paginated_pipeline_steps', steps.json)).toEqual([]);
    expect(steps.json.values.map((s: { name: string; state: { result: { name: string } } }) => [s.name, s.state.result.name])).toEqual([
      ['Build and test', 'FAILED'], ['Deploy to staging', 'NOT_RUN'],
    ]);
    const log = await h.api('GET', `${WEB}/pipelines/${encodeURIComponent(failed.uuid)}/steps/${encodeURIComponent(steps.json.values[0].uuid)}/log`);
    expect(log.text).toContain('Tests: 1 failed, 147 passed, 148 total');
    // One status for main's runs (Pipelines keys by branch): the last run's, the stopped custom deploy (#3).
    const statuses = h.sandbox.state.statuses.filter((s) => s.commitHash === failed.commitHash && s.refname === 'main');
    expect(statuses.map((s) => [s.key, s.state, s.url])).toEqual([['3343801', 'STOPPED', 'http://sandbox.test/acme/web/addon/pipelines/home#!/results/3']]);
    // acme/api has none: its runs still count from 1.
    expect((await h.api('GET', '/2.0/repositories/acme/api/pipelines')).json.values).toEqual([]);
  });

  it('lists a repository\'s runs newest first and shows a run with its steps and logs; a running run can be stopped', async () => {
    const run = h.sandbox.actions.triggerPipeline({ workspace: 'acme', repo: 'web', actor: 'bob', refName: 'main', variables: [{ key: 'SANDBOX_HOLD', value: 'true' }] });
    await waitFor(async () => run.state === 'IN_PROGRESS');
    const listHtml = await (await fetch(`${h.url}/acme/web/pipelines`)).text();
    const rows = [...listHtml.matchAll(/data-testid="pipeline-run" data-build="(\d+)" data-state="(\w+)"/g)].map((m) => [Number(m[1]), m[2]]);
    expect(rows).toEqual([[run.buildNumber, 'IN_PROGRESS'], [3, 'STOPPED'], [2, 'FAILED'], [1, 'SUCCESSFUL']]);
    expect(listHtml).toContain(`href="/acme/web/pipelines/results/${run.buildNumber}"`);

    const failedHtml = await (await fetch(`${h.url}/acme/web/pipelines/results/2`)).text();
    expect([...failedHtml.matchAll(/data-testid="pipeline-step" data-index="\d" data-state="(\w+)"/g)].map((m) => m[1])).toEqual(['FAILED', 'NOT_RUN']);
    expect(failedHtml).toContain('✕ refuses an address without a domain');
    expect(failedHtml).not.toContain('data-testid="pipeline-stop"');

    const page = await fetch(`${h.url}/acme/web/pipelines/results/${run.buildNumber}`);
    expect(await page.text()).toContain('data-testid="pipeline-stop"');
    const stop = await fetch(`${h.url}/acme/web/pipelines/results/${run.buildNumber}/stop?as=carol`, { method: 'POST', redirect: 'manual' });
    expect(stop.status).toBe(303);
    expect(run.result).toBe('STOPPED');
    expect(run.terminatorUuid).toBe(h.sandbox.state.users.find((u) => u.nickname === 'carol')!.uuid);

    // The address Pipelines writes in its statuses forwards, in the browser, to the run its fragment names.
    const addon = await fetch(`${h.url}/acme/web/addon/pipelines/home`);
    expect(addon.status).toBe(200);
    expect(await addon.text()).toContain('location.replace("/acme/web/pipelines"+');

    const missing = await fetch(`${h.url}/acme/web/pipelines/results/999`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No pipeline #999 in acme/web.');
  });
});
