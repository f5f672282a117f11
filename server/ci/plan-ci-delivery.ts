/**
 * What the intake does with one delivery, before anything is queued: find the integration, check
 * the signature over the raw body, read the body with the provider's adapter, parse any JUnit or
 * SARIF, find the Bitbucket repository and commit, and plan the status and reports. Every refusal
 * is an error with its HTTP status (401, 404, 400, 422) and a message naming what is wrong.
 */
import { isBitbucketFailure } from '../bitbucket';
import { isBosunError } from '../errors';
import type { TenantWithSecret } from '../host';
import type { Logger } from '../log';
import type { CiBuildResult } from './ci-build-result';
import type { CiIntegration, CiIntegrationStore } from './ci-integration-store';
import { CiPayloadError, CiSignatureError, CiTargetNotFoundError, UnknownCiIntegrationError } from './errors';
import { getCiAdapter } from './get-ci-adapter';
import type { CiClient, CiReportPlan } from './report-ci-build';
import { toBitbucketStatus } from './to-bitbucket-status';
import { toCodeInsightsReports } from './to-code-insights';
import { verifyCiSignature } from './verify-ci-signature';

const INTEGRATION_ID = /^ci_[A-Za-z0-9]{8,40}$/;

export interface CiDeliveryInput {
  provider: string;
  integrationId: string;
  headers: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
}

export interface CiPlanDeps {
  integrations: CiIntegrationStore;
  tenants: { getWithSecret(clientKey: string): Promise<TenantWithSecret | null> };
  clientFor(tenant: TenantWithSecret): CiClient;
  logger: Logger;
}

export type CiDeliveryPlan =
  | { kind: 'ignored'; integration: CiIntegration; reason: string }
  | { kind: 'report'; integration: CiIntegration; plan: CiReportPlan; result: CiBuildResult };

/**
 * The integration a delivery claims to be for, or UnknownCiIntegrationError (404). Every integration also takes the
 * generic format (`/ci/generic/{id}`, signed with its own secret): the GitHub Actions snippet's copy-paste step posts
 * it from a job; any other provider in the path must be the integration's own.
 */
export async function findCiIntegration(deps: Pick<CiPlanDeps, 'integrations'>, input: Pick<CiDeliveryInput, 'provider' | 'integrationId'>) {
  const adapter = getCiAdapter(input.provider);
  const found = INTEGRATION_ID.test(input.integrationId) ? await deps.integrations.getForIntake(input.integrationId) : null;
  if (!found || (adapter.provider !== 'generic' && found.integration.provider !== adapter.provider)) throw new UnknownCiIntegrationError();
  return { adapter, ...found };
}

function toRepositoryTarget(integration: CiIntegration, tenant: TenantWithSecret, hint: string | undefined): { workspace: string; repoSlug: string } {
  const [pinnedWorkspace, pinnedSlug] = integration.repository?.split('/') ?? [];
  if (pinnedWorkspace && pinnedSlug) return { workspace: pinnedWorkspace, repoSlug: pinnedSlug };
  // An installation is one workspace: the CI's own owner name ("acme" on GitHub) need not match it.
  const slug = hint?.split('/').pop()?.toLowerCase();
  const workspace = tenant.workspaceSlug ?? tenant.workspaceUuid;
  if (!slug || !workspace) {
    throw new CiPayloadError('No repository', ['repository: missing (send "repository", or tie the integration to one repository in Bosun’s settings)']);
  }
  return { workspace, repoSlug: slug };
}

/**
 * Proves repository and commit exist (resolving a short hash) while Bitbucket answers; when it
 * does not (an outage, a rate limit, no app token yet) the delivery is still accepted and the job checks the commit.
 */
async function resolveCommit(client: CiClient, workspace: string, repoSlug: string, commit: string, logger: Logger): Promise<string> {
  try {
    await client.repositories.get(workspace, repoSlug);
    return (await client.commits.get(workspace, repoSlug, commit)).hash;
  } catch (error) {
    if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) {
      const repositoryMissing = error.path.endsWith(`/${encodeURIComponent(repoSlug)}`);
      throw new CiTargetNotFoundError(
        repositoryMissing ? `Unknown repository ${workspace}/${repoSlug} (or Bosun cannot see it)` : `Unknown commit ${commit} in ${workspace}/${repoSlug}`,
      );
    }
    // Also any other error that passes with time, such as a Forge installation waiting for its next app token.
    // The error model's field (Bitbucket's errors carry it too): a rate limit, an outage, a Forge token to come.
    if (isBosunError(error) && error.retryable) {
      logger.warn('CI intake could not check the repository and commit; the job will', { workspace, repoSlug });
      return commit;
    }
    throw error;
  }
}

export async function planCiDelivery(deps: CiPlanDeps, input: CiDeliveryInput): Promise<CiDeliveryPlan> {
  const { adapter, integration, secret } = await findCiIntegration(deps, input);
  const check = verifyCiSignature(input.headers, input.rawBody, secret);
  if (!check.ok) throw new CiSignatureError(check.reason);
  let body: unknown;
  try {
    body = JSON.parse(input.rawBody.toString('utf8'));
  } catch {
    throw new CiPayloadError('The body is not JSON');
  }
  const outcome = adapter.parse({ body, headers: input.headers });
  if (outcome.kind === 'ignored') return { kind: 'ignored', integration, reason: outcome.reason };
  const result = outcome.result;
  // Attached test and lint output is parsed now: a broken report is the CI's to fix, answered here.
  const insights = toCodeInsightsReports(result);
  const tenant = await deps.tenants.getWithSecret(integration.clientKey);
  if (!tenant) throw new UnknownCiIntegrationError();
  const { workspace, repoSlug } = toRepositoryTarget(integration, tenant, result.repository);
  const commit = await resolveCommit(deps.clientFor(tenant), workspace, repoSlug, result.commit, deps.logger);
  const status = toBitbucketStatus(result);
  return {
    kind: 'report',
    integration,
    result,
    plan: {
      integrationId: integration.id,
      workspace,
      repoSlug,
      commit,
      status,
      build: {
        provider: result.provider,
        check: result.check,
        state: result.state,
        ...(result.run ? { run: result.run } : {}),
        ...(result.occurredAt ? { occurredAt: result.occurredAt } : {}),
        ...(result.deliveryId ? { deliveryId: result.deliveryId } : {}),
      },
      insights: insights.map((report) => ({
        reportId: report.reportId,
        report: { ...report.report },
        annotationBatches: report.annotationBatches.map((batch) => batch.map((annotation) => ({ ...annotation }))),
      })),
    },
  };
}
