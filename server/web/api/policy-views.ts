import type { Tenant } from '../../host';

export type ReadinessConditionStatus = 'pass' | 'fail' | 'pending';

/** Who can lift a blocker (server/rules Unblocker, as JSON). */
export type UnblockerView =
  | { kind: 'people'; userUuids: string[]; note: string }
  | { kind: 'author'; note: string }
  | { kind: 'ci'; note: string }
  | { kind: 'time'; until: string }
  | { kind: 'admin'; note: string }
  | { kind: 'nobody'; note: string };

export interface PolicyIssueView {
  source: 'workspace' | 'repository' | 'bosun.yml';
  path: string;
  message: string;
}

/** GET /api/pr-panel/readiness: the checklist. */
export interface ReadinessView {
  verdict: 'ready' | 'waiting' | 'blocked';
  ready: boolean;
  /** Would Bitbucket accept the merge now (only what it enforces counts). */
  bitbucketAllowsMerge: boolean;
  readinessMode: 'off' | 'dry-run' | 'on';
  conditions: { id: string; source: 'bitbucket' | 'merge-check' | 'bosun'; status: ReadinessConditionStatus; enforced: boolean; message: string; unblockedBy: UnblockerView | null }[];
  policyIssues: PolicyIssueView[];
  asOf: string;
}

/** GET/POST /api/admin/policy: the workspace layer as stored. */
export interface WorkspacePolicyView {
  layer: unknown;
  version: number;
  updatedBy: string | null;
  updatedAt: string | null;
  issues: PolicyIssueView[];
}

/** POST /api/admin/policy/preview: what the proposed workspace layer would change on current PRs. */
export interface PolicyPreviewView {
  issues: PolicyIssueView[];
  changes: { repository: string; id: number; title: string; before: string[]; after: string[]; stale: 'remind' | 'decline' | null; staleExecutes: boolean }[];
  scanned: { repositories: number; pullRequests: number };
  /** More repositories exist than the preview reads (the most recently updated come first). */
  truncated: boolean;
}

/** GET/POST /api/admin/policy/repository: one repository's override layer (over the workspace defaults). */
export interface RepositoryPolicyView extends WorkspacePolicyView {
  repoUuid: string;
  repository: string;
}

/** GET /api/admin/policy/repositories: the repositories that have an override. */
export interface RepositoryPolicyListView {
  overrides: { repoUuid: string; version: number; updatedBy: string; updatedAt: string }[];
  /** The workspace's repositories an override can be made for (the first 100 by name). */
  repositories: { repoUuid: string; fullName: string }[];
}

/** GET /api/pr-panel/rule-activity: what the automation rules did, or in dry-run would do, on this PR (newest first). */
export interface RuleActivityView {
  entries: { at: string; rule: string; dryRun: boolean; outcome: 'succeeded' | 'failed' | 'refused'; message: string }[];
}

/** Readiness and policy, wired in server/create-policy-views.ts (web imports neither rules nor policies). */
export interface PolicyViews {
  loadReadiness(tenant: Tenant, query: { repoUuid: string; prId: number }): Promise<ReadinessView>;
  loadWorkspacePolicy(tenant: Tenant): Promise<WorkspacePolicyView>;
  /** Validates first: an invalid layer saves nothing and answers its issues (`saved: false`). */
  saveWorkspacePolicy(tenant: Tenant, input: { layer: unknown; expectedVersion: number; updatedBy: string }): Promise<{ saved: boolean; view: WorkspacePolicyView }>;
  /** Nothing is saved or written: an invalid layer answers its issues and no changes. */
  previewWorkspacePolicy(tenant: Tenant, layer: unknown): Promise<PolicyPreviewView>;
  listRepositoryPolicies(tenant: Tenant): Promise<RepositoryPolicyListView>;
  /** From the audit log: the rules' entries for this PR. */
  loadRuleActivity(tenant: Tenant, query: { repoUuid: string; prId: number }): Promise<RuleActivityView>;
  /** The repository must be one of the tenant's workspace (else Bitbucket's 404). */
  loadRepositoryPolicy(tenant: Tenant, repoUuid: string): Promise<RepositoryPolicyView>;
  saveRepositoryPolicy(tenant: Tenant, input: { repoUuid: string; layer: unknown; expectedVersion: number; updatedBy: string }): Promise<{ saved: boolean; view: RepositoryPolicyView }>;
  /** What the override would change on the repository's open PRs (workspace defaults under both); saves nothing. */
  previewRepositoryPolicy(tenant: Tenant, input: { repoUuid: string; layer: unknown }): Promise<PolicyPreviewView>;
}
