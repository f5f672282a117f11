import { z } from 'zod';
import type { HttpTransport } from '../http';
import { paginate } from '../paginate';
import { toPathSegment, toRepositoryPath } from '../paths';
import {
  CODE_INSIGHTS_LIMITS,
  reportAnnotationSchema,
  reportSchema,
  type Report,
  type ReportAnnotation,
  type ReportAnnotationInput,
  type ReportInput,
} from '../schemas/report';

export interface ReportsOperations {
  /** `GET …/commit/{commit}/reports`: the Code Insights reports on a commit. */
  list(workspace: string, repoSlug: string, commit: string, options?: { max?: number }): Promise<Report[]>;
  /** `GET …/commit/{commit}/reports/{reportId}` (the uuid or the external id). */
  get(workspace: string, repoSlug: string, commit: string, reportId: string): Promise<Report>;
  /**
   * `PUT …/commit/{commit}/reports/{reportId}`: creates or replaces the report whose external id
   * is `reportId`. Replacing a report deletes its annotations, so post them again afterwards.
   */
  put(workspace: string, repoSlug: string, commit: string, reportId: string, input: ReportInput): Promise<Report>;
  /** `DELETE …/commit/{commit}/reports/{reportId}`, with its annotations. */
  delete(workspace: string, repoSlug: string, commit: string, reportId: string): Promise<void>;
  /** `GET …/reports/{reportId}/annotations`. */
  listAnnotations(workspace: string, repoSlug: string, commit: string, reportId: string, options?: { max?: number }): Promise<ReportAnnotation[]>;
  /**
   * `POST …/reports/{reportId}/annotations`: creates or updates up to 100 annotations by their
   * external ids (Bitbucket's limit per request; more is refused here before sending).
   */
  addAnnotations(
    workspace: string,
    repoSlug: string,
    commit: string,
    reportId: string,
    annotations: readonly ReportAnnotationInput[],
  ): Promise<ReportAnnotation[]>;
}

/** Builds the `reports` group of the client (Code Insights). */
export function createReportsOperations(http: HttpTransport): ReportsOperations {
  const reportsPath = (workspace: string, repoSlug: string, commit: string) =>
    `${toRepositoryPath(workspace, repoSlug)}/commit/${toPathSegment(commit, 'commit')}/reports`;
  const reportPath = (workspace: string, repoSlug: string, commit: string, reportId: string) =>
    `${reportsPath(workspace, repoSlug, commit)}/${toPathSegment(reportId, 'report id')}`;
  return {
    list: async (workspace, repoSlug, commit, options = {}) =>
      paginate(http, { path: reportsPath(workspace, repoSlug, commit) }, reportSchema, { max: options.max }),
    get: async (workspace, repoSlug, commit, reportId) =>
      http.sendJson({ method: 'GET', path: reportPath(workspace, repoSlug, commit, reportId) }, reportSchema),
    put: async (workspace, repoSlug, commit, reportId, input) =>
      http.sendJson({ method: 'PUT', path: reportPath(workspace, repoSlug, commit, reportId), body: input }, reportSchema),
    delete: async (workspace, repoSlug, commit, reportId) => {
      await http.send({ method: 'DELETE', path: reportPath(workspace, repoSlug, commit, reportId) });
    },
    listAnnotations: async (workspace, repoSlug, commit, reportId, options = {}) =>
      paginate(
        http,
        { path: `${reportPath(workspace, repoSlug, commit, reportId)}/annotations` },
        reportAnnotationSchema,
        { max: options.max },
      ),
    addAnnotations: async (workspace, repoSlug, commit, reportId, annotations) => {
      if (annotations.length > CODE_INSIGHTS_LIMITS.annotationsPerRequest) {
        throw new RangeError(`At most ${CODE_INSIGHTS_LIMITS.annotationsPerRequest} annotations per request, got ${annotations.length}`);
      }
      return http.sendJson(
        {
          method: 'POST',
          path: `${reportPath(workspace, repoSlug, commit, reportId)}/annotations`,
          body: annotations,
          // Keyed by external_id: sending the same batch twice updates, never duplicates.
          // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-reports/#api-repositories-workspace-repo-slug-commit-commit-reports-reportid-annotations-post
          retry: 'idempotent',
        },
        z.array(reportAnnotationSchema),
      );
    },
  };
}
