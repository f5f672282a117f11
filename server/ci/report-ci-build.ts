/**
 * Posting one planned CI build result to Bitbucket as the installation: the commit status, after
 * the out-of-order rule (decide-status-update.ts) against what was reported before, then its Code
 * Insights reports. A Bitbucket failure is thrown to the caller (the `ci.report` job), whose retry
 * posts it later: an outage delays a status, it does not lose it.
 */
import { z } from 'zod';
import { isBitbucketFailure, type BitbucketClient } from '../bitbucket';
import type { ReportAnnotationInput, ReportInput } from '../bitbucket/schemas/report';
import { ciBuildStateSchema, ciProviderSchema, type CiBuildResult } from './ci-build-result';
import type { CiIntegrationStore, CiStatusRef } from './ci-integration-store';
import { decideStatusUpdate, toStatusFingerprint } from './decide-status-update';
import { CiTargetNotFoundError } from './errors';
import type { CiStatusUpdate } from './to-bitbucket-status';

/** The calls reporting (and the intake's checks) make: the installation's client satisfies it. */
export type CiClient = Pick<BitbucketClient, 'repositories' | 'commits' | 'statuses' | 'reports'>;

const statusSchema = z.object({
  key: z.string().min(1).max(40),
  state: z.enum(['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED']),
  name: z.string(),
  url: z.string(),
  description: z.string().optional(),
  refname: z.string().optional(),
});

/** What the intake plans and the job posts (JSON in the job row). */
export const ciReportPlanSchema = z.object({
  integrationId: z.string(),
  workspace: z.string().min(1),
  repoSlug: z.string().min(1),
  commit: z.string().regex(/^[0-9a-f]{7,40}$/),
  status: statusSchema,
  build: z.object({
    provider: ciProviderSchema,
    check: z.string(),
    state: ciBuildStateSchema,
    run: z.object({ number: z.number(), attempt: z.number() }).optional(),
    occurredAt: z.string().optional(),
    deliveryId: z.string().optional(),
  }),
  insights: z
    .array(
      z.object({
        reportId: z.string().min(1),
        report: z.looseObject({}),
        annotationBatches: z.array(z.array(z.looseObject({})).max(100)).max(10),
      }),
    )
    .max(5),
});
export type CiReportPlan = z.infer<typeof ciReportPlanSchema>;

export type CiReportOutcome =
  | { kind: 'reported'; key: string; state: CiStatusUpdate['state']; reports: number; superseded: boolean }
  | { kind: 'duplicate' | 'stale'; key: string; reason: string };

function toBuildResult(plan: CiReportPlan, commit: string): CiBuildResult {
  const { build, status } = plan;
  return {
    provider: build.provider,
    check: build.check,
    name: status.name,
    state: build.state,
    commit,
    url: status.url,
    ...(build.run ? { run: build.run } : {}),
    ...(build.occurredAt ? { occurredAt: build.occurredAt } : {}),
    ...(build.deliveryId ? { deliveryId: build.deliveryId } : {}),
    attachments: { junit: [], sarif: [], findings: [] },
  };
}

/** Records the decision for this key unless a newer one is there; 'apply' when this run should post. */
async function claimStatus(
  store: CiIntegrationStore,
  claimant: string,
  ref: CiStatusRef,
  result: CiBuildResult,
  status: CiStatusUpdate,
  now: Date,
): Promise<{ kind: 'apply'; fingerprint: string } | { kind: 'duplicate' | 'stale'; reason: string }> {
  const fingerprint = toStatusFingerprint(result, status);
  for (let round = 0; round < 5; round += 1) {
    const previous = await store.getReported(ref);
    // This job decided before and then failed to post (a 503): post again.
    if (previous?.reported.claimedBy === claimant && previous.reported.fingerprint === fingerprint) return { kind: 'apply', fingerprint };
    const decision = decideStatusUpdate(previous?.reported, result, status);
    if (decision.kind !== 'apply') return decision;
    const reported = { ...decision.reported, claimedBy: claimant };
    if (await store.saveReported(ref, { reported, status, updatedAt: now }, previous?.reported.fingerprint ?? null)) return { kind: 'apply', fingerprint };
  }
  throw new Error('Another delivery for the same status kept winning the race; trying again later');
}

/**
 * Posts `plan` unless a newer state for its key was already reported. `claimant` names this
 * attempt's job, so its own retry is not mistaken for a duplicate.
 * @throws CiTargetNotFoundError when a short commit hash the intake could not check does not exist.
 */
export async function reportCiBuild(
  deps: { client: CiClient; store: CiIntegrationStore; clientKey: string; claimant: string; now: () => Date },
  plan: CiReportPlan,
): Promise<CiReportOutcome> {
  const { client, store, clientKey } = deps;
  const { workspace, repoSlug } = plan;
  let commit = plan.commit;
  if (commit.length < 40) {
    try {
      commit = (await client.commits.get(workspace, repoSlug, commit)).hash;
    } catch (error) {
      if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) throw new CiTargetNotFoundError(`Unknown commit ${commit} in ${workspace}/${repoSlug}`);
      throw error;
    }
  }
  const status: CiStatusUpdate = plan.status;
  const ref: CiStatusRef = { clientKey, repository: `${workspace}/${repoSlug}`, commit, key: status.key };
  const claim = await claimStatus(store, deps.claimant, ref, toBuildResult(plan, commit), status, deps.now());
  if (claim.kind !== 'apply') return { kind: claim.kind, key: status.key, reason: claim.reason };

  await client.statuses.createBuild(workspace, repoSlug, commit, status);
  for (const report of plan.insights) {
    // PUT replaces the report and drops its annotations; the batches then upsert by external id.
    await client.reports.put(workspace, repoSlug, commit, report.reportId, report.report as unknown as ReportInput);
    for (const batch of report.annotationBatches) {
      await client.reports.addAnnotations(workspace, repoSlug, commit, report.reportId, batch as unknown as ReportAnnotationInput[]);
    }
  }
  // A newer decision may have been saved (and posted) while this one was on the wire: Bitbucket
  // keeps the last write, so make sure it is the newest.
  const latest = await store.getReported(ref);
  if (latest && latest.reported.fingerprint !== claim.fingerprint) {
    await client.statuses.createBuild(workspace, repoSlug, commit, latest.status);
    return { kind: 'reported', key: status.key, state: latest.status.state, reports: plan.insights.length, superseded: true };
  }
  return { kind: 'reported', key: status.key, state: status.state, reports: plan.insights.length, superseded: false };
}
