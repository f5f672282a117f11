import type { AuditStore } from './agent';
import { toReadinessInput } from './agent/readiness/to-readiness-input';
import { HostAuthError, type InstallationClientFactory, type TenantStore } from './host';
import { loadBosunFile } from './create-rule-services';
import { checkPolicyLayer, parseBosunFile, previewPolicyChange, resolvePolicy, toBosunFileLocation, toReadinessPolicy, type PolicyScope, type PolicyStore, type PreviewPullRequest } from './policies';
import { evaluateReadiness, READINESS_STATUS_KEY } from './rules';
import type { PolicyViews, RepositoryPolicyView, WorkspacePolicyView } from './web/api/policy-views';

/** How much of the workspace a preview reads: the most recently updated repositories, their open PRs. */
const PREVIEW_REPOSITORIES = 20;
const PREVIEW_PRS_PER_REPOSITORY = 50;

/** Wires policies/ and the readiness oracle to the API's views (composition root: imports every side). */
/** How many of the repository's newest audit entries the panel's rule activity looks through. */
const RULE_ACTIVITY_SCAN = 200;

export function createPolicyViews(deps: { policies: PolicyStore; tenants: TenantStore; clients: InstallationClientFactory; now: () => Date; audit?: AuditStore }): PolicyViews {
  const toView = async (clientKey: string): Promise<WorkspacePolicyView> => {
    const stored = await deps.policies.get(clientKey, 'workspace');
    return { layer: stored?.layer ?? {}, version: stored?.version ?? 0, updatedBy: stored?.updatedBy ?? null, updatedAt: stored?.updatedAt.toISOString() ?? null, issues: [] };
  };
  const clientOf = async (tenant: { clientKey: string; workspaceUuid?: string | null; workspaceSlug?: string | null }) => {
    const full = await deps.tenants.getWithSecret(tenant.clientKey);
    if (!full) throw new HostAuthError('SESSION_INVALID', 'Bosun is no longer installed in this workspace');
    return { client: deps.clients.forTenant(full), ws: tenant.workspaceUuid ?? tenant.workspaceSlug ?? '' };
  };
  /** The override of a repository of this tenant's own workspace: another workspace's repository is Bitbucket's 404. */
  const toRepositoryView = async (tenant: Parameters<PolicyViews['loadRepositoryPolicy']>[0], repoUuid: string): Promise<RepositoryPolicyView> => {
    const { client, ws } = await clientOf(tenant);
    const [repo, stored] = await Promise.all([client.repositories.get(ws, repoUuid), deps.policies.get(tenant.clientKey, repoUuid as PolicyScope)]);
    return {
      repoUuid,
      repository: repo.full_name,
      layer: stored?.layer ?? {},
      version: stored?.version ?? 0,
      updatedBy: stored?.updatedBy ?? null,
      updatedAt: stored?.updatedAt.toISOString() ?? null,
      issues: [],
    };
  };
  return {
    async loadRuleActivity(tenant, query) {
      if (!deps.audit) return { entries: [] };
      const page = await deps.audit.list(tenant.clientKey, { repository: query.repoUuid, limit: RULE_ACTIVITY_SCAN });
      const aboutPr = (input: unknown) => typeof input === 'object' && input !== null && (input as { pullRequestId?: unknown }).pullRequestId === query.prId;
      return {
        entries: page.entries
          .filter((e) => e.source === 'rule' && e.steps.some((st) => aboutPr(st.input)))
          .slice(0, 20)
          .map((e) => ({
            at: e.startedAt.toISOString(),
            rule: e.trigger.kind.replace(/^rule:/, ''),
            dryRun: e.tools.includes('rule.recordDryRun'),
            outcome: e.outcome,
            message: e.message,
          })),
      };
    },
    async listRepositoryPolicies(tenant) {
      const { client, ws } = await clientOf(tenant);
      const [all, repos] = await Promise.all([deps.policies.list(tenant.clientKey), client.repositories.list(ws, { sort: 'full_name', max: 100 })]);
      return {
        repositories: repos.map((r) => ({ repoUuid: r.uuid, fullName: r.full_name })),
        overrides: all
          .filter((p) => p.scope !== 'workspace')
          .map((p) => ({ repoUuid: p.scope, version: p.version, updatedBy: p.updatedBy, updatedAt: p.updatedAt.toISOString() })),
      };
    },
    loadRepositoryPolicy: toRepositoryView,
    async saveRepositoryPolicy(tenant, input) {
      const view = await toRepositoryView(tenant, input.repoUuid);
      const check = checkPolicyLayer('repository', input.layer);
      if (!check.ok) return { saved: false, view: { ...view, issues: check.issues } };
      // Groups a repository layer names must exist in the workspace's or its own: checked as resolvePolicy applies it.
      const workspace = await deps.policies.get(tenant.clientKey, 'workspace');
      const resolved = resolvePolicy([{ source: 'workspace', data: workspace?.layer }, { source: 'repository', data: check.layer }]);
      const own = resolved.issues.filter((i) => i.source === 'repository');
      if (own.length > 0) return { saved: false, view: { ...view, issues: own } };
      await deps.policies.save(tenant.clientKey, input.repoUuid as PolicyScope, check.layer, input.updatedBy, input.expectedVersion);
      return { saved: true, view: await toRepositoryView(tenant, input.repoUuid) };
    },
    async previewRepositoryPolicy(tenant, input) {
      const check = checkPolicyLayer('repository', input.layer);
      if (!check.ok) return { issues: check.issues, changes: [], scanned: { repositories: 0, pullRequests: 0 }, truncated: false };
      const { client, ws } = await clientOf(tenant);
      const [repo, workspace, stored] = await Promise.all([
        client.repositories.get(ws, input.repoUuid),
        deps.policies.get(tenant.clientKey, 'workspace'),
        deps.policies.get(tenant.clientKey, input.repoUuid as PolicyScope),
      ]);
      const before = resolvePolicy([{ source: 'workspace', data: workspace?.layer }, { source: 'repository', data: stored?.layer }]).policy;
      const afterResolved = resolvePolicy([{ source: 'workspace', data: workspace?.layer }, { source: 'repository', data: check.layer }]);
      const own = afterResolved.issues.filter((i) => i.source === 'repository');
      if (own.length > 0) return { issues: own, changes: [], scanned: { repositories: 0, pullRequests: 0 }, truncated: false };
      const list = await client.pullRequests.list(ws, input.repoUuid, { state: ['OPEN'], max: PREVIEW_PRS_PER_REPOSITORY + 1 });
      const prs: PreviewPullRequest[] = list.slice(0, PREVIEW_PRS_PER_REPOSITORY).map((pr) => ({
        repository: repo.full_name,
        id: pr.id,
        title: pr.title,
        state: pr.state,
        draft: pr.draft ?? false,
        authorUuid: pr.author?.uuid ?? '',
        sourceBranch: pr.source.branch.name,
        destinationBranch: pr.destination.branch.name,
        updatedOn: pr.updated_on ?? deps.now().toISOString(),
      }));
      return { issues: [], changes: previewPolicyChange(prs, before, afterResolved.policy, deps.now()), scanned: { repositories: 1, pullRequests: prs.length }, truncated: list.length > PREVIEW_PRS_PER_REPOSITORY };
    },
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
      // The destination branch's bosun.yml, as the rules read it (never the PR's source branch).
      const bosunFile = await loadBosunFile(client, ws, query.repoUuid, toBosunFileLocation(pr).ref);
      const resolved = resolvePolicy([
        { source: 'workspace', data: workspaceLayer?.layer },
        { source: 'repository', data: repositoryLayer?.layer },
        parseBosunFile(bosunFile),
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
