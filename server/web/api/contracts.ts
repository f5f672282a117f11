/**
 * JSON contracts between Bosun's API (server/web/api) and its iframes (client/).
 * The client imports these with `import type` only.
 *
 * Every API call carries `Authorization: Bearer <session token>`; the token is minted by
 * the page route after it verified the iframe's Connect JWT and is bound to tenant + user.
 */
import type { PageName } from '../../host/viewer';

export type BuildState = 'INPROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'STOPPED';
/** Aggregate over all of a commit's statuses; NONE means no status yet (pending, not green). */
export type AggregateBuildState = BuildState | 'NONE';

export interface UserView {
  uuid: string;
  accountId: string | null;
  displayName: string;
  nickname: string | null;
  avatarUrl: string | null;
}

export interface BuildStatusView {
  key: string;
  name: string;
  state: BuildState;
  url: string;
  description: string;
  updatedOn: string;
}

export interface ReviewerView {
  user: UserView;
  role: 'REVIEWER' | 'PARTICIPANT';
  approved: boolean;
  state: 'approved' | 'changes_requested' | null;
}

export interface PullRequestSummaryView {
  id: number;
  title: string;
  state: 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';
  draft: boolean;
  author: UserView | null;
  sourceBranch: string;
  destinationBranch: string;
  sourceCommit: string | null;
  createdOn: string;
  updatedOn: string;
  url: string | null;
}

/** How fresh a view is: from Bosun's mirror of the workspace, or read from Bitbucket just now. */
export interface ViewFreshness {
  source: 'mirror' | 'live';
  /** ISO time Bitbucket last confirmed this data (sync, sweep, webhook or the live read). */
  asOf: string;
  /** False while some build statuses are only what webhooks told (not yet listed in full). */
  complete: boolean;
}

/** GET /api/pr-panel?repoUuid=&prId=[&fresh=1] (fresh: read Bitbucket now, after the viewer's own change) */
export interface PullRequestPanelView {
  pullRequest: PullRequestSummaryView;
  reviewers: ReviewerView[];
  statuses: BuildStatusView[];
  buildState: AggregateBuildState;
  approvals: number;
  freshness: ViewFreshness;
}

export interface DashboardPullRequestView extends PullRequestSummaryView {
  buildState: AggregateBuildState;
  approvals: number;
  reviewerCount: number;
}

/** GET /api/repo-dashboard?repoUuid= */
export interface RepoDashboardView {
  repository: { uuid: string; fullName: string; name: string; url: string | null };
  pullRequests: DashboardPullRequestView[];
  freshness: ViewFreshness;
  /** From the mirror (branch heads, default reviewers, branch restrictions, recent pipelines); absent before their first listing. */
  repositoryFacts?: RepositoryFactsView;
}

export interface RepositoryFactsView {
  /** Head of each branch the PRs target, and how many branches the repository has. */
  branchCount: number;
  /** `restrictions` and `defaultReviewers` are null when the installation may not read them (repository:admin). */
  targetBranches: Array<{ name: string; head: string | null; restrictions: string[] | null }>;
  defaultReviewers: string[] | null;
  /** null when the installation may not read pipelines (the pipeline scope). */
  recentPipelines: Array<{ buildNumber: number; refName: string | null; state: string; result: string | null; createdOn: string }> | null;
  syncedAt: string | null;
}

export interface WebhookDeliveryView {
  requestUuid: string;
  eventKey: string;
  attempt: number;
  receivedAt: string;
}

/** GET /api/admin-settings */
export interface AdminSettingsView {
  tenant: {
    workspaceSlug: string | null;
    workspaceName: string | null;
    workspaceUuid: string | null;
    baseUrl: string;
    installedAt: string;
    installedBy: string | null;
  };
  descriptorUrl: string;
  webhookEvents: string[];
  scopes: string[];
  recentDeliveries: WebhookDeliveryView[];
  /** What a workspace admin enters when creating the OAuth consumer in Bitbucket. */
  oauth: { configured: boolean; callbackUrl: string; scopesToTick: string[] };
  /** Bitbucket's hourly budget and the mirror's sync (absent when Bosun runs without the mirror). */
  mirror?: MirrorStatusView;
}

/** One credential's rolling hour: what is left and what spent it. */
export interface BudgetCredentialView {
  /** `installation` or `user:<uuid>` */
  credential: string;
  limit: number;
  used: number;
  remaining: number;
  byLane: { people: number; automation: number; sync: number };
  byPurpose: Array<{ purpose: string; lane: 'people' | 'automation' | 'sync'; count: number }>;
  /** ISO: automation and sync wait until then (after a 429), or null. */
  pausedUntil: string | null;
}

export interface MirrorStatusView {
  budget: BudgetCredentialView[];
  sync: {
    state: 'running' | 'done' | 'deferred' | 'failed';
    repositoriesDone: number;
    repositoriesTotal: number;
    /** Open pull requests whose build statuses are still to be listed. */
    statusesPending: number;
    startedAt: string;
    finishedAt: string | null;
    lastSweepAt: string | null;
    message: string | null;
  } | null;
}

/** GET /api/personal-settings */
export interface PersonalSettingsView {
  viewer: { uuid: string | null; accountId: string | null };
  workspaceSlug: string | null;
  /**
   * How Bosun acts as this person: their OAuth connection (Connect), or on Forge the token Bitbucket
   * sends with each action they start (`x-forge-oauth-user`), used for that action only: nothing to connect.
   * Absent: oauth (an older server).
   */
  actsAsYouWith?: 'oauth' | 'forge-user-token';
  /** False when no OAuth consumer is configured: connecting is impossible, say so. */
  oauthConfigured: boolean;
  connection: ConnectionView;
  /** Bitbucket's own page where a person revokes Bosun's access. */
  revokeUrl: string;
}

export interface ConnectionView {
  status: 'not_connected' | 'connected' | 'needs_reconnect';
  displayName: string | null;
  nickname: string | null;
  avatarUrl: string | null;
  email: string | null;
  scopes: string[];
  connectedAt: string | null;
}

/** POST /api/oauth/start: a URL to open in a new window, where the person consents in Bitbucket. */
export interface OAuthStartView {
  url: string;
}

/** DELETE /api/oauth/connection */
export interface DisconnectView {
  disconnected: boolean;
  revokeUrl: string;
}

/**
 * POST /api/pr-panel/approve and /unapprove: acts as the viewer. Answers 202 AgentExecuteAccepted
 * (poll /api/agent/jobs/:jobId), or 403 with a ConnectPrompt when they must connect first.
 */
export interface PullRequestActionBody {
  repoUuid: string;
  prId: number;
  /** One per click, so a double click approves once. */
  idempotencyKey: string;
}

/** Why an action as the viewer cannot run yet; the UI shows a Connect or Reconnect prompt. */
export interface ConnectPrompt {
  reason: 'not_connected' | 'needs_reconnect' | 'missing_scopes';
  requiredScopes: string[];
}

/** Every non-2xx API answer has this body. */
export interface ApiErrorBody {
  error: { code: string; message: string; connect?: ConnectPrompt };
}

/** The Connect modules Bosun serves; each is one page of the client build. */
export type { PageName };

/**
 * What the page route injects into `<script id="bosun-context" type="application/json">`,
 * taken from the qsh-protected iframe URL.
 */
export interface PageContext {
  page: PageName;
  repoUuid: string | null;
  repoFullName: string | null;
  prId: string | null;
  userUuid: string | null;
  accountId: string | null;
  hostBaseUrl: string;
}

/* ---- The agent: plans, confirmation, execution, audit ---- */

export type RiskLevel = 'read' | 'write' | 'destructive';

export interface PlanStepView {
  tool: string;
  input: unknown;
}

export interface PlanView {
  steps: PlanStepView[];
  summary: string;
  source: 'command' | 'rule' | 'natural-language' | 'button' | 'webhook' | 'llm';
}

export interface StepPreviewView {
  index: number;
  tool: string;
  input: unknown;
  valid: boolean;
  problems: string[];
  risk: RiskLevel | null;
  actsAs: 'installation' | 'user' | null;
  repository: string | null;
  description: string | null;
}

/** What the page shows, so "the source branch" and "Ada" mean something; optional, only ever a default. */
export interface AgentPlanPageFacts {
  title?: string;
  sourceBranch?: string;
  destinationBranch?: string;
  people?: Array<{ nickname: string | null; displayName: string | null; uuid: string | null }>;
}

/** POST /api/agent/plan body (PR panel "Ask Bosun"). */
export interface AgentPlanRequest {
  text: string;
  repoUuid: string;
  prId: number | null;
  /** `workspace/slug` from the page's signed context, so plans name the repository as people read it. */
  repoFullName?: string | null;
  page?: AgentPlanPageFacts;
}

/** POST /api/agent/plan answer: what would run; nothing has run yet. */
export interface AgentPlanView {
  kind?: 'plan';
  /** Every step only reads (a status, a list): the UI runs it straight away, without "Confirm and run". */
  readOnly?: boolean;
  plan: PlanView;
  preview: {
    valid: boolean;
    problems: string[];
    needsConfirmation: boolean;
    confirmationReasons: string[];
    steps: StepPreviewView[];
  };
}

/** POST /api/agent/plan when the request is ambiguous or incomplete: Bosun asks back; each choice's `text` is a complete request to send. */
export interface AgentPlanClarificationView {
  kind: 'clarification';
  question: string;
  choices: Array<{ label: string; text: string }>;
}

/** POST /api/agent/plan answers 200 with one of these. */
export type AgentPlanAnswer = AgentPlanView | AgentPlanClarificationView;

/** POST /api/agent/plan when the text could not be planned: 422 with this body. */
export interface AgentPlanRefusal {
  error: { code: 'PLAN_NOT_UNDERSTOOD'; message: string; suggestions: string[] };
}

/** POST /api/agent/execute body: the plan exactly as previewed, confirmed by the person. */
export interface AgentExecuteRequest {
  plan: PlanView;
  /** Chosen by the client once per confirmation, so a double click runs once. */
  idempotencyKey: string;
  confirmed: boolean;
}

/** POST /api/agent/execute answers 202 with the job that will run it. */
export interface AgentExecuteAccepted {
  jobId: string;
  /**
   * Set when Bosun ran the plan in the request (a Forge page acting as the viewer: their token lives
   * only for the request); then there is nothing to poll.
   */
  finished?: AgentJobView;
}

export interface AuditStepView {
  tool: string;
  outcome: 'succeeded' | 'failed' | 'skipped';
  summary: string | null;
  message: string | null;
  links: Array<{ label: string; url: string }>;
  durationMs: number;
}

export interface AuditEntryView {
  id: number;
  startedAt: string;
  durationMs: number;
  /** Ids for links and filters; `displayName`/`nickname` (when known) for people to read. */
  actor: { kind: 'user' | 'installation' | 'rule'; userUuid: string | null; accountId: string | null; displayName?: string | null; nickname?: string | null };
  trigger: { kind: string; ref: string | null };
  source: PlanView['source'];
  summary: string;
  repositories: string[];
  tools: string[];
  outcome: 'succeeded' | 'failed' | 'refused';
  message: string;
  steps: AuditStepView[];
}

/** GET /api/agent/jobs/:jobId: poll until `done`. */
export interface AgentJobView {
  jobId: string;
  state: 'queued' | 'running' | 'succeeded' | 'dead';
  done: boolean;
  audit: AuditEntryView | null;
  /** Set when the job itself failed before producing an audit entry. */
  error: string | null;
  /** Set when a step acting as the viewer needs them to connect (or reconnect with more permissions). */
  connect: ConnectPrompt | null;
}

/** GET /api/audit?repo=&actor=&tool=&outcome=&limit=&offset= (admin settings). */
export interface AuditPageView {
  entries: AuditEntryView[];
  total: number;
  limit: number;
  offset: number;
}
