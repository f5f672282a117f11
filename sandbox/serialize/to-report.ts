import type { CodeInsightsAnnotation, CodeInsightsReport } from '../state/types';

/** A Code Insights report as openapi.json's `report` schema has it (only the fields that are set). */
export function toReport(r: CodeInsightsReport): Record<string, unknown> {
  return {
    type: 'report',
    uuid: r.uuid,
    external_id: r.externalId,
    title: r.title,
    details: r.details,
    report_type: r.reportType,
    ...(r.result === null ? {} : { result: r.result }),
    ...(r.reporter === null ? {} : { reporter: r.reporter }),
    ...(r.link === null ? {} : { link: r.link }),
    ...(r.logoUrl === null ? {} : { logo_url: r.logoUrl }),
    ...(r.data.length === 0 ? {} : { data: r.data }),
    created_on: r.createdOn,
    updated_on: r.updatedOn,
  };
}

export function toReportAnnotation(a: CodeInsightsAnnotation): Record<string, unknown> {
  return {
    type: 'report_annotation',
    uuid: a.uuid,
    external_id: a.externalId,
    annotation_type: a.annotationType,
    summary: a.summary,
    ...(a.details === null ? {} : { details: a.details }),
    ...(a.path === null ? {} : { path: a.path }),
    ...(a.line === null ? {} : { line: a.line }),
    ...(a.result === null ? {} : { result: a.result }),
    ...(a.severity === null ? {} : { severity: a.severity }),
    ...(a.link === null ? {} : { link: a.link }),
    created_on: a.createdOn,
    updated_on: a.updatedOn,
  };
}
