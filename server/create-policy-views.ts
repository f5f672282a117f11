import { toReadinessInput } from './agent/readiness/to-readiness-input';
import { HostAuthError, type InstallationClientFactory, type TenantStore } from './host';
import { checkPolicyLayer, resolvePolicy, toReadinessPolicy, type PolicyScope, type PolicyStore } from './policies';
import { evaluateReadiness, READINESS_STATUS_KEY } from './rules';
import type { PolicyViews, WorkspacePolicyView } from './web/api/policy-views';

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
  };
}
