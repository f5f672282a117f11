import { z } from 'zod';
import { openEnum } from './common';

/**
 * Code Insights: a report on a commit and its annotations.
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-reports/
 * Limits (https://support.atlassian.com/bitbucket-cloud/docs/code-insights/): 1,000 annotations
 * per report, 100 per bulk request, annotation summary 450 characters, details 2,000, 10 data fields.
 */
export const CODE_INSIGHTS_LIMITS = {
  annotationsPerReport: 1000,
  annotationsPerRequest: 100,
  annotationSummaryChars: 450,
  annotationDetailsChars: 2000,
  reportTitleChars: 450,
  reportDetailsChars: 2000,
  reportDataFields: 10,
} as const;

const REPORT_TYPES = ['SECURITY', 'COVERAGE', 'TEST', 'BUG'] as const;
const REPORT_RESULTS = ['PASSED', 'FAILED', 'PENDING'] as const;
const ANNOTATION_TYPES = ['VULNERABILITY', 'CODE_SMELL', 'BUG'] as const;
const ANNOTATION_RESULTS = ['PASSED', 'FAILED', 'SKIPPED', 'IGNORED'] as const;
const ANNOTATION_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;

export const reportTypeSchema = z.enum(REPORT_TYPES);
export const reportResultSchema = z.enum(REPORT_RESULTS);
export const annotationTypeSchema = z.enum(ANNOTATION_TYPES);
export const annotationResultSchema = z.enum(ANNOTATION_RESULTS);
export const annotationSeveritySchema = z.enum(ANNOTATION_SEVERITIES);

export const reportDataSchema = z.looseObject({
  type: z.enum(['BOOLEAN', 'DATE', 'DURATION', 'LINK', 'NUMBER', 'PERCENTAGE', 'TEXT']).optional(),
  title: z.string().optional(),
  value: z.unknown().optional(),
});
export type ReportData = z.infer<typeof reportDataSchema>;

/** A report as Bitbucket returns it, keeping the fields Bosun reads. */
export const reportSchema = z.looseObject({
  uuid: z.string().optional(),
  external_id: z.string().nullish(),
  title: z.string().nullish(),
  details: z.string().nullish(),
  reporter: z.string().nullish(),
  link: z.string().nullish(),
  report_type: openEnum(REPORT_TYPES).nullish(),
  result: openEnum(REPORT_RESULTS).nullish(),
  data: z.array(reportDataSchema).nullish(),
  created_on: z.string().nullish(),
  updated_on: z.string().nullish(),
});
export type Report = z.infer<typeof reportSchema>;

export const reportAnnotationSchema = z.looseObject({
  uuid: z.string().optional(),
  external_id: z.string().nullish(),
  annotation_type: openEnum(ANNOTATION_TYPES).nullish(),
  path: z.string().nullish(),
  line: z.number().nullish(),
  summary: z.string().nullish(),
  details: z.string().nullish(),
  result: openEnum(ANNOTATION_RESULTS).nullish(),
  severity: openEnum(ANNOTATION_SEVERITIES).nullish(),
  link: z.string().nullish(),
});
export type ReportAnnotation = z.infer<typeof reportAnnotationSchema>;

/** The body of `PUT …/commit/{commit}/reports/{reportId}`. */
export interface ReportInput {
  title: string;
  details: string;
  report_type: z.infer<typeof reportTypeSchema>;
  result?: z.infer<typeof reportResultSchema>;
  reporter?: string;
  link?: string;
  logo_url?: string;
  data?: ReportData[];
}

/** One element of the body of `POST …/reports/{reportId}/annotations`. */
export interface ReportAnnotationInput {
  external_id: string;
  annotation_type: z.infer<typeof annotationTypeSchema>;
  summary: string;
  path?: string;
  line?: number;
  details?: string;
  result?: z.infer<typeof annotationResultSchema>;
  severity?: z.infer<typeof annotationSeveritySchema>;
  link?: string;
}
