/** Scenarios: Code Insights reports and annotations on a commit. */
import { expect } from 'vitest';
import type { ContractContext } from './contract-context';
import type { ScenarioTable } from './scenario';

const REPORT = { title: 'Tests: contract', details: '3 tests: 2 passed, 1 failed.', reportType: 'TEST', result: 'FAILED', reporter: 'Bosun' };

/** A commit with a report created straight in the sandbox (not recorded). */
function commitWithReport(ctx: ContractContext, prefix: string, annotations = 0): { hash: string; reportId: string } {
  const branch = ctx.newBranch(prefix);
  const ref = { workspace: ctx.workspace, repo: ctx.repo, commit: branch.hash, reportId: ctx.unique('bosun-report') };
  ctx.stack.sandbox.actions.putReport(ref, REPORT);
  if (annotations > 0) {
    ctx.stack.sandbox.actions.addAnnotations(
      ref,
      Array.from({ length: annotations }, (_, i) => ({ externalId: `${ref.reportId}-${i}`, annotationType: 'BUG', summary: `Failure ${i}`, path: 'src/a.ts', line: i + 1 })),
    );
  }
  return { hash: branch.hash, reportId: ref.reportId };
}

export const REPORT_SCENARIOS: ScenarioTable<'reports'> = {
  'reports.list': async (ctx) => {
    const { hash, reportId } = commitWithReport(ctx, 'contract/reports');
    expect((await ctx.app.reports.list(ctx.workspace, ctx.repo, hash)).map((r) => r.external_id)).toEqual([reportId]);
  },
  'reports.get': async (ctx) => {
    const { hash, reportId } = commitWithReport(ctx, 'contract/report-get');
    expect(await ctx.app.reports.get(ctx.workspace, ctx.repo, hash, reportId)).toMatchObject({ external_id: reportId, report_type: 'TEST', result: 'FAILED' });
  },
  'reports.put': async ({ app, workspace, repo, newBranch, unique }) => {
    const branch = newBranch('contract/report-put');
    const reportId = unique('bosun-tests');
    const report = await app.reports.put(workspace, repo, branch.hash, reportId, {
      title: 'Tests: Unit tests',
      details: '5 tests: 1 passed, 2 failed, 1 errored, 1 skipped.',
      report_type: 'TEST',
      result: 'FAILED',
      reporter: 'Bosun',
      link: 'https://ci.acme.test/builds/41',
    });
    expect(report).toMatchObject({ external_id: reportId, title: 'Tests: Unit tests', result: 'FAILED' });
  },
  'reports.delete': async (ctx) => {
    const { hash, reportId } = commitWithReport(ctx, 'contract/report-delete');
    await ctx.app.reports.delete(ctx.workspace, ctx.repo, hash, reportId);
    expect(ctx.stack.sandbox.state.reports.some((r) => r.externalId === reportId)).toBe(false);
  },
  'reports.listAnnotations': async (ctx) => {
    const { hash, reportId } = commitWithReport(ctx, 'contract/annotations', 3);
    const annotations = await ctx.app.reports.listAnnotations(ctx.workspace, ctx.repo, hash, reportId);
    expect(annotations.map((a) => a.summary)).toEqual(['Failure 0', 'Failure 1', 'Failure 2']);
  },
  'reports.addAnnotations': async (ctx) => {
    const { hash, reportId } = commitWithReport(ctx, 'contract/annotations-add');
    const added = await ctx.app.reports.addAnnotations(ctx.workspace, ctx.repo, hash, reportId, [
      { external_id: `${reportId}-a`, annotation_type: 'BUG', summary: 'Failed: login › refuses an empty password', path: 'src/login.test.ts', line: 21, result: 'FAILED', severity: 'HIGH' },
      { external_id: `${reportId}-b`, annotation_type: 'CODE_SMELL', summary: 'Unused variable', path: 'src/login.ts', line: 7, severity: 'LOW', details: 'token is never read' },
    ]);
    expect(added.map((a) => a.external_id)).toEqual([`${reportId}-a`, `${reportId}-b`]);
    // Posting the same external ids again updates them rather than adding more.
    await ctx.app.reports.addAnnotations(ctx.workspace, ctx.repo, hash, reportId, [
      { external_id: `${reportId}-a`, annotation_type: 'BUG', summary: 'Failed again', result: 'FAILED' },
    ]);
    expect(ctx.stack.sandbox.state.reports.find((r) => r.externalId === reportId)?.annotations.map((a) => a.summary)).toEqual(['Failed again', 'Unused variable']);
  },
};
