import { toReadinessInput } from './agent/readiness/to-readiness-input';
import { HostAuthError, type InstallationClientFactory, type TenantStore } from './host';
import { checkPolicyLayer, previewPolicyChange, resolvePolicy, toReadinessPolicy, type PolicyScope, type PolicyStore, type PreviewPullRequest } from './policies';
import { evaluateReadiness, READINESS_STATUS_KEY } from './rules';
import type { PolicyViews, WorkspacePolicyView } from './web/api/policy-views';

/** How much of the workspace a preview reads: the most recently updated repositories, their open PRs. */
const PREVIEW_REPOSITORIES = 20;
const PREVIEW_PRS_PER_REPOSITORY = 50;

/** Wires policies/ and the readiness oracle to the API's views (composition root: imports every side). */
export function createPolicyViews(deps: { policies: PolicyStore; tenants: TenantStore; clients: InstallationClientFactory; now: () => Date }): PolicyViews {
  const toView = async (clientKey: string): Promise<WorkspacePolicyView> => {
    const stored = await deps.policies.get(clientKey, 'workspace');
    return { layer: stored?.layer ?? {}, version: stored?.version ?? 0, updatedBy: stored?.updatedBy ?? null, updatedAt: stored?.updatedAt.toISOString() ?? null, issues: [] };
  };
  return {
    async loadReadiness(tenant, query) {
      const full = await deps.tenants.getWithSecret(tenant.clientKey);
      if (!full) throw new HostAuthError('SESSION_INVALID', 'Bosun is no longer installed in this workspace');
      const client = deps.clients.forTenant(full);
      // Always the tenant's own workspace: a repository of another workspace is simply not found.
      const ws = tenant.workspaceUuid ?? tenant.workspaceSlug ?? '';
      const [pr, repo, statuses, restrictions, defaults, tasks, workspaceLayer, repositoryLayer] = await Promise.all([
        client.pullRequests.get(ws, query.repoUuid, query.prId),
        client.repositories.get(ws, query.repoUuid),
        client.pullRequests.listStatuses(ws, query.repoUuid, query.prId),
        client.branchRestrictions.list(ws, query.repoUuid),
        client.defaultReviewers.listEffective(ws, query.repoUuid),
        client.pullRequests.listTasks(ws, query.repoUuid, query.prId),
        deps.policies.get(tenant.clientKey, 'workspace'),
        deps.policies.get(tenant.clientKey, query.repoUuid as PolicyScope),
      ]);
      const resolved = resolvePolicy([
        { source: 'workspace', data: workspaceLayer?.layer },
        { source: 'repository', data: repositoryLayer?.layer },
      ]);
      const readiness = evaluateReadiness(
        toReadinessInput(pr, {
          statuses,
          restrictions,
          defaultReviewerUuids: defaults.flatMap((d) => (d.user.uuid ? [d.user.uuid] : [])),
          mainBranch: repo.mainbranch?.name ?? null,
          tasks: tasks.map((t) => ({ state: t.state })),
        }),
        // Bosun cannot read the workspace's plan: a merge check counts as enforced only where enforce_merge_checks says so.
        { enforcement: 'premium', policy: toReadinessPolicy(resolved.policy), now: deps.now(), ownStatusKeys: [READINESS_STATUS_KEY] },
      );
      return {
        verdict: readiness.verdict,
        ready: readiness.ready,
        bitbucketAllowsMerge: readiness.bitbucketAllowsMerge,
        readinessMode: resolved.policy.readiness.mode,
        conditions: readiness.conditions,
        policyIssues: resolved.issues,
        asOf: deps.now().toISOString(),
      };
    },
    loadWorkspacePolicy: (tenant) => toView(tenant.clientKey),
    async saveWorkspacePolicy(tenant, input) {
      const check = checkPolicyLayer('workspace', input.layer);
      if (!check.ok) return { saved: false, view: { ...(await toView(tenant.clientKey)), issues: check.issues } };
      await deps.policies.save(tenant.clientKey, 'workspace', check.layer, input.updatedBy, input.expectedVersion);
      return { saved: true, view: await toView(tenant.clientKey) };
    },
    async previewWorkspacePolicy(tenant, layer) {
      const check = checkPolicyLayer('workspace', layer);
      if (!check.ok) return { issues: check.issues, changes: [], scanned: { repositories: 0, pullRequests: 0 }, truncated: false };
      const full = await deps.tenants.getWithSecret(tenant.clientKey);
      if (!full) throw new HostAuthError('SESSION_INVALID', 'Bosun is no longer installed in this workspace');
      const client = deps.clients.forTenant(full);
      const ws = tenant.workspaceUuid ?? tenant.workspaceSlug ?? '';
      const stored = await deps.policies.get(tenant.clientKey, 'workspace');
      const before = resolvePolicy([{ source: 'workspace', data: stored?.layer }]).policy;
      const after = resolvePolicy([{ source: 'workspace', data: check.layer }]).policy;
      const repos = await client.repositories.list(ws, { sort: '-updated_on', max: PREVIEW_REPOSITORIES + 1 });
      const scanned = repos.slice(0, PREVIEW_REPOSITORIES);
      const lists = await Promise.all(scanned.map(async (r) => ({ repo: r, prs: await client.pullRequests.list(ws, r.uuid, { state: ['OPEN'], max: PREVIEW_PRS_PER_REPOSITORY }) })));
      const prs: PreviewPullRequest[] = lists.flatMap(({ repo, prs: list }) =>
        list.map((pr) => ({
          repository: repo.full_name,
          id: pr.id,
          title: pr.title,
          state: pr.state,
          draft: pr.draft ?? false,
          authorUuid: pr.author?.uuid ?? '',
          sourceBranch: pr.source.branch.name,
          destinationBranch: pr.destination.branch.name,
          updatedOn: pr.updated_on ?? deps.now().toISOString(),
        })),
      );
      return { issues: [], changes: previewPolicyChange(prs, before, after, deps.now()), scanned: { repositories: scanned.length, pullRequests: prs.length }, truncated: repos.length > PREVIEW_REPOSITORIES };
    },
  };
}
