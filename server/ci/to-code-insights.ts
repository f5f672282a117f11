/**
 * Code Insights for a build result: a test report from its JUnit XML and a findings report from
 * its SARIF logs and generic-format findings, each with its annotations, within Bitbucket's
 * limits (1,000 annotations per report, sent 100 per request, summary ≤ 450 characters, details
 * ≤ 2,000). When there are more than 1,000 findings, the worst are kept and the report says how
 * many were left out.
 * https://support.atlassian.com/bitbucket-cloud/docs/code-insights/
 */
import { createHash } from 'node:crypto';
import {
  CODE_INSIGHTS_LIMITS,
  type ReportAnnotationInput,
  type ReportData,
  type ReportInput,
} from '../bitbucket/schemas/report';
import type { CiBuildResult, CiFinding } from './ci-build-result';
import { parseJunit, type TestSummary } from './parse-junit';
import { parseSarif } from './parse-sarif';
import { toStatusKey } from './to-status-key';

export interface CodeInsightsReportPlan {
  /** The report's external id, used as `{reportId}` in the path: stable per check and kind. */
  reportId: string;
  report: ReportInput;
  /** At most 100 per batch, at most 1,000 in all. */
  annotationBatches: ReportAnnotationInput[][];
  /** Findings left out to stay within the per-report limit. */
  omitted: number;
}

const SEVERITY_ORDER: Record<CiFinding['severity'], number> = { critical: 0, high: 1, medium: 2, low: 3 };
const RESULT_ORDER: Record<CiFinding['result'], number> = { failed: 0, skipped: 1, ignored: 2, passed: 3 };

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function toAnnotation(reportId: string, finding: CiFinding): ReportAnnotationInput {
  const identity = finding.id ?? JSON.stringify([finding.path, finding.line, finding.title, finding.message]);
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return {
    external_id: `${reportId}-${hash}`,
    annotation_type: finding.type === 'vulnerability' ? 'VULNERABILITY' : finding.type === 'code_smell' ? 'CODE_SMELL' : 'BUG',
    summary: clip(finding.message.replace(/\s+/g, ' ').trim(), CODE_INSIGHTS_LIMITS.annotationSummaryChars),
    ...(finding.path === undefined ? {} : { path: finding.path }),
    ...(finding.line === undefined ? {} : { line: finding.line }),
    ...(finding.details === undefined ? {} : { details: clip(finding.details, CODE_INSIGHTS_LIMITS.annotationDetailsChars) }),
    result: finding.result === 'failed' ? 'FAILED' : finding.result === 'passed' ? 'PASSED' : finding.result === 'skipped' ? 'SKIPPED' : 'IGNORED',
    severity: finding.severity === 'critical' ? 'CRITICAL' : finding.severity === 'high' ? 'HIGH' : finding.severity === 'medium' ? 'MEDIUM' : 'LOW',
    ...(finding.link === undefined ? {} : { link: finding.link }),
  };
}

/**
 * Chooses and batches the annotations of one report: repeats (same external id) dropped, worst
 * first (failed before the rest, then by severity, then the order they came in), 1,000 at most.
 */
export function toAnnotationBatches(
  reportId: string,
  findings: readonly CiFinding[],
): { batches: ReportAnnotationInput[][]; omitted: number; total: number } {
  const seen = new Set<string>();
  const unique: Array<{ finding: CiFinding; annotation: ReportAnnotationInput; order: number }> = [];
  findings.forEach((finding, order) => {
    const annotation = toAnnotation(reportId, finding);
    if (seen.has(annotation.external_id)) return;
    seen.add(annotation.external_id);
    unique.push({ finding, annotation, order });
  });
  unique.sort(
    (a, b) =>
      RESULT_ORDER[a.finding.result] - RESULT_ORDER[b.finding.result] ||
      SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] ||
      a.order - b.order,
  );
  const kept = unique.slice(0, CODE_INSIGHTS_LIMITS.annotationsPerReport).map((entry) => entry.annotation);
  const batches: ReportAnnotationInput[][] = [];
  for (let start = 0; start < kept.length; start += CODE_INSIGHTS_LIMITS.annotationsPerRequest) {
    batches.push(kept.slice(start, start + CODE_INSIGHTS_LIMITS.annotationsPerRequest));
  }
  return { batches, omitted: unique.length - kept.length, total: unique.length };
}

function addSummaries(a: TestSummary, b: TestSummary): TestSummary {
  return {
    total: a.total + b.total,
    failed: a.failed + b.failed,
    errored: a.errored + b.errored,
    skipped: a.skipped + b.skipped,
    durationSeconds: a.durationSeconds + b.durationSeconds,
  };
}

function omittedNote(omitted: number): string {
  return omitted > 0 ? ` Showing the worst ${CODE_INSIGHTS_LIMITS.annotationsPerReport}; ${omitted} more left out (Bitbucket's limit per report).` : '';
}

function toTestReport(result: CiBuildResult, options: { link: string }): CodeInsightsReportPlan | undefined {
  if (result.attachments.junit.length === 0) return undefined;
  let summary: TestSummary = { total: 0, failed: 0, errored: 0, skipped: 0, durationSeconds: 0 };
  const findings: CiFinding[] = [];
  for (const xml of result.attachments.junit) {
    const parsed = parseJunit(xml);
    summary = addSummaries(summary, parsed.summary);
    findings.push(...parsed.findings);
  }
  const reportId = toStatusKey(result.provider, `${result.check}#tests`);
  const { batches, omitted } = toAnnotationBatches(reportId, findings);
  const broken = summary.failed + summary.errored;
  const passed = summary.total - broken - summary.skipped;
  const data: ReportData[] = [
    { title: 'Tests', type: 'NUMBER', value: summary.total },
    { title: 'Passed', type: 'NUMBER', value: passed },
    { title: 'Failed', type: 'NUMBER', value: broken },
    { title: 'Skipped', type: 'NUMBER', value: summary.skipped },
  ];
  if (summary.durationSeconds > 0) data.push({ title: 'Duration', type: 'DURATION', value: Math.round(summary.durationSeconds * 1000) });
  return {
    reportId,
    report: {
      title: clip(`Tests: ${result.name}`, CODE_INSIGHTS_LIMITS.reportTitleChars),
      details: clip(
        `${summary.total} tests: ${passed} passed, ${summary.failed} failed, ${summary.errored} errored, ${summary.skipped} skipped.${omittedNote(omitted)}`,
        CODE_INSIGHTS_LIMITS.reportDetailsChars,
      ),
      report_type: 'TEST',
      result: broken > 0 ? 'FAILED' : 'PASSED',
      reporter: 'Bosun',
      link: options.link,
      data,
    },
    annotationBatches: batches,
    omitted,
  };
}

function toFindingsReport(result: CiBuildResult, options: { link: string; pathPrefix?: string }): CodeInsightsReportPlan | undefined {
  const findings: CiFinding[] = [...result.attachments.findings];
  const tools: string[] = [];
  for (const log of result.attachments.sarif) {
    const parsed = parseSarif(log, { pathPrefix: options.pathPrefix });
    tools.push(...parsed.tools);
    findings.push(...parsed.findings);
  }
  if (result.attachments.sarif.length === 0 && findings.length === 0) return undefined;
  const reportId = toStatusKey(result.provider, `${result.check}#findings`);
  const { batches, omitted, total } = toAnnotationBatches(reportId, findings);
  const failing = findings.filter((finding) => finding.result === 'failed');
  const severe = failing.filter((finding) => finding.severity === 'critical' || finding.severity === 'high').length;
  const toolNames = [...new Set(tools)];
  return {
    reportId,
    report: {
      title: clip(`Findings: ${result.name}`, CODE_INSIGHTS_LIMITS.reportTitleChars),
      details: clip(
        `${total} findings (${severe} critical or high)${toolNames.length > 0 ? ` from ${toolNames.join(', ')}` : ''}.${omittedNote(omitted)}`,
        CODE_INSIGHTS_LIMITS.reportDetailsChars,
      ),
      report_type: findings.some((finding) => finding.type === 'vulnerability') ? 'SECURITY' : 'BUG',
      result: failing.length > 0 ? 'FAILED' : 'PASSED',
      reporter: toolNames.length > 0 ? clip(toolNames.join(', '), 255) : 'Bosun',
      link: options.link,
      data: [
        { title: 'Findings', type: 'NUMBER', value: total },
        { title: 'Critical or high', type: 'NUMBER', value: severe },
      ],
    },
    annotationBatches: batches,
    omitted,
  };
}

/**
 * The reports to post for a build result: none when it carries no test or lint output.
 * Throws CiPayloadError when an attached JUnit or SARIF document does not parse, so the intake
 * can refuse the delivery before anything is written.
 */
export function toCodeInsightsReports(result: CiBuildResult, options: { pathPrefix?: string } = {}): CodeInsightsReportPlan[] {
  const link = result.url;
  return [toTestReport(result, { link }), toFindingsReport(result, { link, pathPrefix: options.pathPrefix })].filter(
    (plan): plan is CodeInsightsReportPlan => plan !== undefined,
  );
}
