import { toBracedUuid } from '../state/ids';
import { getCommit, getRepository } from '../state/lookups';
import { SandboxError } from '../state/sandbox-error';
import type { CodeInsightsAnnotation, CodeInsightsReport, Repository } from '../state/types';
import type { ActionContext } from './action-context';

/** Bitbucket's Code Insights limits (https://support.atlassian.com/bitbucket-cloud/docs/code-insights/). */
export const SANDBOX_INSIGHTS_LIMITS = { annotationsPerReport: 1000, annotationsPerRequest: 100, summaryChars: 450, detailsChars: 2000 } as const;

export interface ReportRef {
  workspace: string;
  repo: string;
  commit: string;
  /** The report's uuid (`{…}`) or the external id it was created under. */
  reportId: string;
}

export interface PutReportInput {
  title: string;
  details: string;
  reportType: string;
  result?: string | null;
  reporter?: string | null;
  link?: string | null;
  logoUrl?: string | null;
  data?: unknown[];
}

export interface AnnotationInput {
  externalId: string;
  annotationType: string;
  summary: string;
  details?: string | null;
  path?: string | null;
  line?: number | null;
  result?: string | null;
  severity?: string | null;
  link?: string | null;
}

export interface ReportActions {
  /** Creates the report under `reportId` as its external id, or replaces it (and drops its annotations, as Bitbucket does). */
  putReport(ref: ReportRef, input: PutReportInput): { report: CodeInsightsReport; created: boolean };
  deleteReport(ref: ReportRef): void;
  /** Creates or updates annotations by external id; 400 past 100 per request or 1,000 per report. */
  addAnnotations(ref: ReportRef, annotations: readonly AnnotationInput[]): CodeInsightsAnnotation[];
}

export function findReport(state: ActionContext['state'], repo: Repository, commitHash: string, reportId: string): CodeInsightsReport | undefined {
  const byUuid = reportId.startsWith('{') ? reportId.toLowerCase() : undefined;
  return state.reports.find(
    (r) => r.repoUuid === repo.uuid && r.commitHash === commitHash && (byUuid ? r.uuid.toLowerCase() === byUuid : r.externalId === reportId),
  );
}

export function createReportActions(c: ActionContext): ReportActions {
  const { state } = c;
  const resolve = (ref: ReportRef) => {
    const repo = getRepository(state, ref.workspace, ref.repo);
    const commit = getCommit(state, repo, ref.commit);
    return { repo, commit };
  };
  const getReport = (ref: ReportRef) => {
    const { repo, commit } = resolve(ref);
    const report = findReport(state, repo, commit.hash, ref.reportId);
    if (!report) throw new SandboxError(404, `No report '${ref.reportId}' on commit ${commit.hash}.`);
    return report;
  };
  return {
    putReport(ref, input) {
      const { repo, commit } = resolve(ref);
      const existing = findReport(state, repo, commit.hash, ref.reportId);
      const stamp = c.stamp();
      const fields = {
        title: input.title,
        details: input.details,
        reportType: input.reportType,
        result: input.result ?? null,
        reporter: input.reporter ?? null,
        link: input.link ?? null,
        logoUrl: input.logoUrl ?? null,
        data: input.data ?? [],
      };
      if (existing) {
        Object.assign(existing, fields, { annotations: [], updatedOn: stamp });
        return { report: existing, created: false };
      }
      const report: CodeInsightsReport = {
        uuid: toBracedUuid(`report:${repo.uuid}:${commit.hash}:${ref.reportId}`),
        repoUuid: repo.uuid,
        commitHash: commit.hash,
        externalId: ref.reportId,
        ...fields,
        annotations: [],
        createdOn: stamp,
        updatedOn: stamp,
      };
      state.reports.push(report);
      return { report, created: true };
    },
    deleteReport(ref) {
      const report = getReport(ref);
      state.reports.splice(state.reports.indexOf(report), 1);
    },
    addAnnotations(ref, annotations) {
      const report = getReport(ref);
      if (annotations.length > SANDBOX_INSIGHTS_LIMITS.annotationsPerRequest) {
        throw new SandboxError(400, `At most ${SANDBOX_INSIGHTS_LIMITS.annotationsPerRequest} annotations can be uploaded per request.`);
      }
      const fresh = annotations.filter((a) => !report.annotations.some((existing) => existing.externalId === a.externalId));
      if (report.annotations.length + new Set(fresh.map((a) => a.externalId)).size > SANDBOX_INSIGHTS_LIMITS.annotationsPerReport) {
        throw new SandboxError(400, `A report can hold at most ${SANDBOX_INSIGHTS_LIMITS.annotationsPerReport} annotations.`);
      }
      const stamp = c.stamp();
      return annotations.map((input) => {
        const fields = {
          annotationType: input.annotationType,
          summary: input.summary,
          details: input.details ?? null,
          path: input.path ?? null,
          line: input.line ?? null,
          result: input.result ?? null,
          severity: input.severity ?? null,
          link: input.link ?? null,
        };
        const existing = report.annotations.find((a) => a.externalId === input.externalId);
        if (existing) {
          Object.assign(existing, fields, { updatedOn: stamp });
          return existing;
        }
        const annotation: CodeInsightsAnnotation = {
          uuid: toBracedUuid(`annotation:${report.uuid}:${input.externalId}`),
          externalId: input.externalId,
          ...fields,
          createdOn: stamp,
          updatedOn: stamp,
        };
        report.annotations.push(annotation);
        return annotation;
      });
    },
  };
}
