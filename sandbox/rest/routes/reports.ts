import type { Router } from 'express';
import { z } from 'zod';
import { findReport, SANDBOX_INSIGHTS_LIMITS } from '../../actions/report-actions';
import { toReport, toReportAnnotation } from '../../serialize/to-report';
import { getCommit } from '../../state/lookups';
import { SandboxError } from '../../state/sandbox-error';
import { paginate } from '../paginate';
import type { RouteKit } from '../route-kit';

// Bitbucket's rules for Code Insights bodies (https://developer.atlassian.com/cloud/bitbucket/rest/api-group-reports/,
// limits from https://support.atlassian.com/bitbucket-cloud/docs/code-insights/).
const reportBody = z.looseObject({
  title: z.string().min(1).max(450),
  details: z.string().max(SANDBOX_INSIGHTS_LIMITS.detailsChars),
  report_type: z.enum(['SECURITY', 'COVERAGE', 'TEST', 'BUG']),
  result: z.enum(['PASSED', 'FAILED', 'PENDING']).nullish(),
  reporter: z.string().max(450).nullish(),
  link: z.url().nullish(),
  logo_url: z.url().nullish(),
  data: z.array(z.looseObject({ title: z.string(), type: z.string(), value: z.unknown() })).max(10).optional(),
});

const annotationBody = z.looseObject({
  external_id: z.string().min(1),
  annotation_type: z.enum(['VULNERABILITY', 'CODE_SMELL', 'BUG']),
  summary: z.string().min(1).max(SANDBOX_INSIGHTS_LIMITS.summaryChars),
  details: z.string().max(SANDBOX_INSIGHTS_LIMITS.detailsChars).nullish(),
  path: z.string().nullish(),
  line: z.number().int().min(1).nullish(),
  result: z.enum(['PASSED', 'FAILED', 'SKIPPED', 'IGNORED']).nullish(),
  severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']).nullish(),
  link: z.url().nullish(),
});

/** Code Insights: `…/commit/{commit}/reports[/{reportId}[/annotations]]`, state in sandbox state `reports`. */
export function mountReportRoutes(router: Router, kit: RouteKit): void {
  const { state, actions } = kit;
  const reportsPath = '/repositories/:workspace/:repo_slug/commit/:commit/reports';
  const ref = (req: Parameters<RouteKit['repoRef']>[0]) => ({ ...kit.repoRef(req), commit: String(req.params.commit), reportId: String(req.params.reportId) });
  const getReport = (req: Parameters<RouteKit['repoRef']>[0]) => {
    const repo = kit.repoOf(req);
    const commit = getCommit(state, repo, String(req.params.commit));
    const report = findReport(state, repo, commit.hash, String(req.params.reportId));
    if (!report) throw new SandboxError(404, `No report '${String(req.params.reportId)}' on commit ${commit.hash}.`);
    return report;
  };

  router.get(reportsPath, kit.guard('repository', (req, res) => {
    const repo = kit.repoOf(req);
    const commit = getCommit(state, repo, String(req.params.commit));
    const list = state.reports.filter((r) => r.repoUuid === repo.uuid && r.commitHash === commit.hash);
    res.json(paginate(req, kit.ctx.apiBaseUrl, list.map(toReport)));
  }));
  router.get(`${reportsPath}/:reportId`, kit.guard('repository', (req, res) => {
    res.json(toReport(getReport(req)));
  }));
  router.put(`${reportsPath}/:reportId`, kit.guard('repository', (req, res) => {
    const body = kit.parse(reportBody, req.body);
    const { report } = actions.putReport(ref(req), {
      title: body.title,
      details: body.details,
      reportType: body.report_type,
      result: body.result,
      reporter: body.reporter,
      link: body.link,
      logoUrl: body.logo_url,
      data: body.data,
    });
    res.json(toReport(report));
  }));
  router.delete(`${reportsPath}/:reportId`, kit.guard('repository', (req, res) => {
    actions.deleteReport(ref(req));
    res.status(204).end();
  }));
  router.get(`${reportsPath}/:reportId/annotations`, kit.guard('repository', (req, res) => {
    res.json(paginate(req, kit.ctx.apiBaseUrl, getReport(req).annotations.map(toReportAnnotation)));
  }));
  router.post(`${reportsPath}/:reportId/annotations`, kit.guard('repository', (req, res) => {
    const body = kit.parse(z.array(annotationBody).min(1), req.body);
    const saved = actions.addAnnotations(
      ref(req),
      body.map((a) => ({
        externalId: a.external_id,
        annotationType: a.annotation_type,
        summary: a.summary,
        details: a.details,
        path: a.path,
        line: a.line,
        result: a.result,
        severity: a.severity,
        link: a.link,
      })),
    );
    res.json(saved.map(toReportAnnotation));
  }));
}
