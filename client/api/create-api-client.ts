import type {
  AdminSettingsView,
  AgentExecuteAccepted,
  AgentExecuteRequest,
  AgentJobView,
  AgentPlanRequest,
  AgentPlanAnswer,
  AuditPageView,
  DisconnectView,
  OAuthStartView,
  PersonalSettingsView,
  PullRequestActionBody,
  PullRequestPanelView,
  RepoDashboardView,
} from '../../server/web/api/contracts';
import type { PolicyPreviewView, ReadinessView, RepositoryPolicyListView, RepositoryPolicyView, RuleActivityView, WorkspacePolicyView } from '../../server/web/api/policy-views';
import type { PendingMergesView } from '../../server/web/api/pending-merge-views';
import type { AdminQueuesView, BranchQueueView, PullRequestQueueView, QueueSettingsChange, RepositoryQueuesView } from '../../server/web/api/merge-queue-views';
import type { DriftCheckView, TemplateApplyAccepted, TemplateCreateAccepted, TemplateListView, TemplatePreviewView, TemplateProgressView } from '../../server/web/api/template-views';
import type { WorkspaceOverviewView } from '../../server/web/api/workspace-overview-views';
import type { CiIntegrationView, CiIntegrationWithSecretView, CiProviderName } from '../../server/web/api/ci-integration-views';
import { ApiError } from './api-error';
import { toApiError } from './to-api-error';
import { toAuditQuery, type AuditFilter } from './to-audit-query';

/** The part of fetch the client uses; inject a fake in tests. */
export type FetchLike = (
  input: string,
  init: { method: 'GET' | 'POST' | 'DELETE'; headers: Record<string, string>; body?: string },
) => Promise<Response>;

export interface ApiClientOptions {
  token: string;
  fetch: FetchLike;
}

export interface ApiClient {
  /** `fresh`: read Bitbucket now rather than Bosun's mirror (after the viewer's own change). */
  getPullRequestPanel(repoUuid: string, prId: string, options?: { fresh?: boolean }): Promise<PullRequestPanelView>;
  getRepoDashboard(repoUuid: string): Promise<RepoDashboardView>;
  /** The merge-readiness checklist: every condition, who can lift it, whether Bitbucket would merge now. */
  getReadiness(repoUuid: string, prId: string): Promise<ReadinessView>;
  /** Admin settings: the workspace policy layer as stored. */
  getWorkspacePolicy(): Promise<WorkspacePolicyView>;
  /** Saves when `expectedVersion` is current; rejects with an ApiError (422 invalid, 409 changed meanwhile). */
  saveWorkspacePolicy(layer: Record<string, unknown>, expectedVersion: number): Promise<WorkspacePolicyView>;
  /** What the layer would change on current PRs; nothing is saved. */
  previewWorkspacePolicy(layer: Record<string, unknown>): Promise<PolicyPreviewView>;
  /** Per-repository overrides (admins only): which repositories have one, and the workspace's repositories. */
  /** What the automation rules did (or in dry-run would do) on this PR, from the audit log. */
  getRuleActivity(repoUuid: string, prId: number): Promise<RuleActivityView>;
  listRepositoryPolicies(): Promise<RepositoryPolicyListView>;
  getRepositoryPolicy(repoUuid: string): Promise<RepositoryPolicyView>;
  /** Rejects with an ApiError (422 with issues, 409 when changed meanwhile). */
  saveRepositoryPolicy(repoUuid: string, layer: Record<string, unknown>, expectedVersion: number): Promise<RepositoryPolicyView>;
  previewRepositoryPolicy(repoUuid: string, layer: Record<string, unknown>): Promise<PolicyPreviewView>;
  getAdminSettings(): Promise<AdminSettingsView>;
  getPersonalSettings(): Promise<PersonalSettingsView>;
  /**
   * Acts as the viewer (their own OAuth token) through a job: resolves to the job to poll; rejects
   * with an ApiError carrying `connect` when they must connect first.
   */
  approvePullRequest(repoUuid: string, prId: number, idempotencyKey: string): Promise<AgentExecuteAccepted>;
  unapprovePullRequest(repoUuid: string, prId: number, idempotencyKey: string): Promise<AgentExecuteAccepted>;
  startOAuth(): Promise<OAuthStartView>;
  disconnect(): Promise<DisconnectView>;
  /**
   * Asks Bosun what it would do for a request; nothing runs yet. Rejects with a PlanRefusedError
   * (an ApiError with `suggestions`) when the text could not be planned (422). A clarifying question
   * (`kind: 'clarification'`) is an answer, not an error.
   */
  planRequest(body: AgentPlanRequest): Promise<AgentPlanAnswer>;
  /** Runs a previewed plan the person confirmed; resolves to the job to poll (202). */
  executePlan(body: AgentExecuteRequest): Promise<AgentExecuteAccepted>;
  getAgentJob(jobId: string): Promise<AgentJobView>;
  /** One page of the workspace's audit log (admin settings). */
  getAuditLog(filter: AuditFilter): Promise<AuditPageView>;
  /** What Bosun will do to this PR on its own (merge when green), with who asked for it. */
  getPendingMerges(repoUuid: string, prId: number): Promise<PendingMergesView>;
  /** This PR's place in its destination branch's merge queue. */
  getPullRequestQueue(repoUuid: string, prId: number): Promise<PullRequestQueueView>;
  /** Every branch queue of a repository (dashboard). */
  getRepositoryQueues(repoUuid: string): Promise<RepositoryQueuesView>;
  /** Admin settings: every queue of the workspace, and a change to one's lanes, freeze, pause or batching. */
  getAdminQueues(): Promise<AdminQueuesView>;
  configureQueue(change: QueueSettingsChange): Promise<BranchQueueView>;
  /** The workspace page: every repository from Bosun's mirror. */
  getWorkspaceOverview(): Promise<WorkspaceOverviewView>;
  /** Repository templates, help per setting and each repository's binding (admins only: 403 otherwise). */
  getTemplates(): Promise<TemplateListView>;
  /** Rejects with an ApiError whose `issues` name each invalid field (422), or 409 when changed meanwhile. */
  saveTemplate(template: Record<string, unknown>, expectedVersion: number): Promise<TemplateListView>;
  deleteTemplate(name: string): Promise<{ deleted: boolean }>;
  /** Per repository, what applying would change; nothing changes. */
  previewTemplate(template: string, repos: string[]): Promise<TemplatePreviewView>;
  /** Applies after a preview (the caller's confirmation); `batchKey` makes a repeat queue nothing new. */
  applyTemplate(template: string, repos: string[], batchKey: string): Promise<TemplateApplyAccepted>;
  createRepositoryFromTemplate(input: { template: string; repo: string; projectKey?: string; requestKey: string }): Promise<TemplateCreateAccepted>;
  getTemplateProgress(query: { batchId?: string; jobIds?: string[] }): Promise<TemplateProgressView>;
  /** Queues a drift check of every repository that follows a template; poll getDriftCheck. */
  checkDriftNow(): Promise<{ jobId: string }>;
  getDriftCheck(jobId: string): Promise<DriftCheckView>;
  /** Admin settings: CI integrations; create and rotate answer the secret, once. */
  listCiIntegrations(): Promise<{ integrations: CiIntegrationView[] }>;
  createCiIntegration(input: { provider: CiProviderName; name: string; repository: string | null }): Promise<CiIntegrationWithSecretView>;
  rotateCiIntegration(id: string): Promise<CiIntegrationWithSecretView>;
  deleteCiIntegration(id: string): Promise<{ deleted: boolean }>;
}

const toQuery = (params: Record<string, string>): string => `?${new URLSearchParams(params).toString()}`;

/**
 * A typed client for Bosun's panel API (same origin, relative URLs).
 * Every method resolves to the contract view or rejects with an ApiError.
 */
export const createApiClient = ({ token, fetch }: ApiClientOptions): ApiClient => {
  // The response body is trusted to match the contract: the server is ours and validates its output.
  const request = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      response = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(0, 'network_error', `Could not reach Bosun (${detail})`);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw toApiError(response.status, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, 'bad_response', 'Bosun answered with something that is not JSON');
    }
  };

  const getJson = <T>(path: string) => request<T>('GET', path);
  const prAction = (action: 'approve' | 'unapprove', repoUuid: string, prId: number, idempotencyKey: string) =>
    request<AgentExecuteAccepted>('POST', `/api/pr-panel/${action}`, { repoUuid, prId, idempotencyKey } satisfies PullRequestActionBody);

  return {
    approvePullRequest: (repoUuid, prId, key) => prAction('approve', repoUuid, prId, key),
    unapprovePullRequest: (repoUuid, prId, key) => prAction('unapprove', repoUuid, prId, key),
    startOAuth: () => request<OAuthStartView>('POST', '/api/oauth/start', {}),
    disconnect: () => request<DisconnectView>('DELETE', '/api/oauth/connection'),
    getPullRequestPanel: (repoUuid, prId, options = {}) =>
      getJson<PullRequestPanelView>(`/api/pr-panel${toQuery({ repoUuid, prId, ...(options.fresh ? { fresh: '1' } : {}) })}`),
    getRepoDashboard: (repoUuid) => getJson<RepoDashboardView>(`/api/repo-dashboard${toQuery({ repoUuid })}`),
    getReadiness: (repoUuid, prId) => getJson<ReadinessView>(`/api/pr-panel/readiness${toQuery({ repoUuid, prId })}`),
    getWorkspacePolicy: () => getJson<WorkspacePolicyView>('/api/admin/policy'),
    saveWorkspacePolicy: (layer, expectedVersion) => request<WorkspacePolicyView>('POST', '/api/admin/policy', { layer, expectedVersion }),
    previewWorkspacePolicy: (layer) => request<PolicyPreviewView>('POST', '/api/admin/policy/preview', { layer }),
    getRuleActivity: (repoUuid, prId) => getJson<RuleActivityView>(`/api/pr-panel/rule-activity${toQuery({ repoUuid, prId: String(prId) })}`),
    listRepositoryPolicies: () => getJson<RepositoryPolicyListView>('/api/admin/policy/repositories'),
    getRepositoryPolicy: (repoUuid) => getJson<RepositoryPolicyView>(`/api/admin/policy/repository${toQuery({ repoUuid })}`),
    saveRepositoryPolicy: (repoUuid, layer, expectedVersion) => request<RepositoryPolicyView>('POST', '/api/admin/policy/repository', { repoUuid, layer, expectedVersion }),
    previewRepositoryPolicy: (repoUuid, layer) => request<PolicyPreviewView>('POST', '/api/admin/policy/repository/preview', { repoUuid, layer }),
    getAdminSettings: () => getJson<AdminSettingsView>('/api/admin-settings'),
    getPersonalSettings: () => getJson<PersonalSettingsView>('/api/personal-settings'),
    planRequest: (body) => request<AgentPlanAnswer>('POST', '/api/agent/plan', body),
    executePlan: (body) => request<AgentExecuteAccepted>('POST', '/api/agent/execute', body),
    getAgentJob: (jobId) => getJson<AgentJobView>(`/api/agent/jobs/${encodeURIComponent(jobId)}`),
    getAuditLog: (filter) => getJson<AuditPageView>(`/api/audit${toAuditQuery(filter)}`),
    getPendingMerges: (repoUuid, prId) => getJson<PendingMergesView>(`/api/agent/pending-merges${toQuery({ repoUuid, prId: String(prId) })}`),
    getPullRequestQueue: (repoUuid, prId) => getJson<PullRequestQueueView>(`/api/pr-panel/queue${toQuery({ repoUuid, prId: String(prId) })}`),
    getRepositoryQueues: (repoUuid) => getJson<RepositoryQueuesView>(`/api/repo-dashboard/queues${toQuery({ repoUuid })}`),
    getAdminQueues: () => getJson<AdminQueuesView>('/api/admin/merge-queues'),
    configureQueue: (change) => request<BranchQueueView>('POST', '/api/admin/merge-queues', change),
    getWorkspaceOverview: () => getJson<WorkspaceOverviewView>('/api/workspace'),
    getTemplates: () => getJson<TemplateListView>('/api/admin/templates'),
    saveTemplate: (template, expectedVersion) => request<TemplateListView>('POST', '/api/admin/templates', { template, expectedVersion }),
    deleteTemplate: (name) => request<{ deleted: boolean }>('DELETE', `/api/admin/templates${toQuery({ name })}`),
    previewTemplate: (template, repos) => request<TemplatePreviewView>('POST', '/api/admin/templates/preview', { template, repos }),
    applyTemplate: (template, repos, batchKey) => request<TemplateApplyAccepted>('POST', '/api/admin/templates/apply', { template, repos, batchKey, confirmed: true }),
    createRepositoryFromTemplate: (input) => request<TemplateCreateAccepted>('POST', '/api/admin/templates/create-repository', { ...input, confirmed: true }),
    getTemplateProgress: ({ batchId, jobIds }) =>
      getJson<TemplateProgressView>(`/api/admin/templates/progress${toQuery({ ...(batchId ? { batch: batchId } : {}), ...(jobIds?.length ? { jobs: jobIds.join(',') } : {}) })}`),
    checkDriftNow: () => request<{ jobId: string }>('POST', '/api/admin/templates/drift-check', {}),
    getDriftCheck: (jobId) => getJson<DriftCheckView>(`/api/admin/templates/drift-check${toQuery({ job: jobId })}`),
    listCiIntegrations: () => getJson<{ integrations: CiIntegrationView[] }>('/api/admin/ci-integrations'),
    createCiIntegration: (input) => request<CiIntegrationWithSecretView>('POST', '/api/admin/ci-integrations', input),
    rotateCiIntegration: (id) => request<CiIntegrationWithSecretView>('POST', `/api/admin/ci-integrations/${encodeURIComponent(id)}/rotate`, {}),
    deleteCiIntegration: (id) => request<{ deleted: boolean }>('DELETE', `/api/admin/ci-integrations/${encodeURIComponent(id)}`),
  };
};
