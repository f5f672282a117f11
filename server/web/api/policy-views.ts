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

/** Readiness and policy, wired in server/create-policy-views.ts (web imports neither rules nor policies). */
export interface PolicyViews {
  loadReadiness(tenant: Tenant, query: { repoUuid: string; prId: number }): Promise<ReadinessView>;
  loadWorkspacePolicy(tenant: Tenant): Promise<WorkspacePolicyView>;
  /** Validates first: an invalid layer saves nothing and answers its issues (`saved: false`). */
  saveWorkspacePolicy(tenant: Tenant, input: { layer: unknown; expectedVersion: number; updatedBy: string }): Promise<{ saved: boolean; view: WorkspacePolicyView }>;
}
