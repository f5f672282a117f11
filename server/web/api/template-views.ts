import type { Tenant } from '../../host';

/** One setting a template may hold, with what it does (the editor's help text). */
export interface TemplateSettingHelpView {
  key: string;
  help: string;
}

export interface TemplateBindingView {
  fullName: string;
  template: string;
  status: 'in-sync' | 'drifted' | 'partial';
  /** What differs (drift) or what a stopped apply did not reach, one line each. */
  pending: string[];
  applied: string[];
  error: string | null;
  checkedAt: string;
}

/** GET /api/admin/templates. */
export interface TemplateListView {
  templates: Array<{ template: unknown; version: number; updatedBy: string; updatedAt: string }>;
  settings: TemplateSettingHelpView[];
  /** The editor's choices: branch restriction kinds (and which take a number), merge strategies. */
  choices: { restrictionKinds: string[]; valuedKinds: string[]; mergeStrategies: string[] };
  bindings: TemplateBindingView[];
}

export interface TemplateIssueView {
  path: string;
  message: string;
}

/** POST /api/admin/templates/preview: per repository, what applying would change. */
export interface TemplatePreviewView {
  template: string;
  /** `unknown`: settings the mirror does not know yet ("… not known yet, checked at apply"). */
  repositories: Array<{ fullName: string; changes: string[]; manual: string[]; unknown: string[]; drifted: boolean }>;
}

/** POST /api/admin/templates/apply: one batch, which releases one job per repository as the rate budget allows. */
export interface TemplateApplyAccepted {
  template: string;
  /** Poll GET /api/admin/templates/progress?batch=<batchId>. */
  batchId: string;
  repos: string[];
}

/** POST /api/admin/templates/create-repository: one job. */
export interface TemplateCreateAccepted {
  template: string;
  jobs: Array<{ repo: string; jobId: string }>;
}

/** GET /api/admin/templates/progress. */
export interface TemplateProgressView {
  done: number;
  failed: number;
  remaining: number;
  /** The batch waits for the rate budget until then (ISO), or null. */
  pausedUntil: string | null;
  /** Why it waits (`low-budget`, `paused` after a 429) or why it stopped. */
  reason: string | null;
  repositories: Array<{ repo: string; state: 'done' | 'failed' | 'remaining'; message: string | null }>;
}

/** GET /api/admin/templates/drift-check: an on-demand drift check, as a job. */
export interface DriftCheckView {
  state: 'queued' | 'running' | 'done' | 'failed';
  /** Repositories compared and found to differ, once done. */
  checked: number | null;
  drifted: number | null;
  message: string | null;
}

/**
 * Repository templates for admin settings, implemented at the composition root over the
 * template store, the installation's client and the job queue (web/ imports none of them).
 */
export interface TemplateViews {
  list(tenant: Tenant): Promise<TemplateListView>;
  save(tenant: Tenant, input: { template: unknown; expectedVersion: number; updatedBy: string }): Promise<{ saved: true; view: TemplateListView } | { saved: false; issues: TemplateIssueView[] }>;
  remove(tenant: Tenant, name: string): Promise<boolean>;
  /** Reads each repository's settings from the mirror (no Bitbucket call). */
  preview(tenant: Tenant, input: { template: string; repos: string[] }): Promise<TemplatePreviewView>;
  apply(tenant: Tenant, input: { template: string; repos: string[]; batchKey: string; actor: { userUuid: string; accountId: string | null } }): Promise<TemplateApplyAccepted>;
  /** Creates a repository from a template as one job (resumable: asked again, it applies what is missing). */
  createRepository(tenant: Tenant, input: { template: string; repo: string; projectKey?: string; requestKey: string; actor: { userUuid: string; accountId: string | null } }): Promise<TemplateCreateAccepted>;
  /** A bulk apply's progress (`batchId`), and single jobs' (`jobIds`, e.g. a create). */
  progress(tenant: Tenant, input: { batchId?: string; jobIds: string[] }): Promise<TemplateProgressView>;
  /** Queues the drift check now (the scheduled one, for every repository that follows a template); repeated clicks within seconds share one. */
  checkDriftNow(tenant: Tenant): Promise<{ jobId: string }>;
  /** Null when there is no such check in this workspace. */
  getDriftCheck(tenant: Tenant, jobId: string): Promise<DriftCheckView | null>;
}
