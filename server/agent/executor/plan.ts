import type { FollowUp, ToolLink, ToolRisk, ToolActsAs, Actor, ToolTenant } from '../tools/tool';
import type { Logger } from '../../log';

export type PlanSource = 'command' | 'rule' | 'natural-language' | 'button' | 'webhook' | 'llm';

export interface PlanStep {
  tool: string;
  /** Validated against the tool's schema before anything runs. */
  input: unknown;
}

/** What a planner proposes and the executor applies: steps in order, and one sentence for people. */
export interface Plan {
  steps: PlanStep[];
  summary: string;
  source: PlanSource;
}

export interface ExecutionContext {
  tenant: ToolTenant;
  actor: Actor;
  /** Child logger of the job (delivery id etc.); the executor's own logger when absent. */
  logger?: Logger;
  /** The webhook delivery that set this off, logged with every Bitbucket request it makes. */
  deliveryId?: string;
}

export interface ExecutionTrigger {
  /** e.g. `pullrequest:comment_created`, `button`, `rule:auto-merge`. */
  kind: string;
  /** The delivery id, comment id, rule id… that caused it. */
  ref: string | null;
}

export interface ExecuteOptions {
  /** One execution per (tenant, key), ever: a repeat returns the first outcome. Derive it from the trigger. */
  idempotencyKey: string;
  confirmed: boolean;
  trigger: ExecutionTrigger;
}

export interface StepPreview {
  index: number;
  tool: string;
  /** The parsed input (defaults filled) when valid, else what was given. */
  input: unknown;
  valid: boolean;
  problems: string[];
  risk: ToolRisk | null;
  actsAs: ToolActsAs | null;
  scopes: string[];
  /** `workspace/repo` the step touches, when it names one. */
  repository: string | null;
  description: string | null;
}

export interface PlanPreview {
  summary: string;
  source: PlanSource;
  steps: StepPreview[];
  valid: boolean;
  problems: string[];
  needsConfirmation: boolean;
  confirmationReasons: string[];
  repositories: string[];
}

export type StepOutcome = 'succeeded' | 'failed' | 'skipped';
export type ExecutionOutcome = 'succeeded' | 'failed' | 'refused';

export interface AuditStep {
  tool: string;
  /** With secrets stripped. */
  input: unknown;
  outcome: StepOutcome;
  summary: string | null;
  /** For failures: what a person can do about it. */
  message: string | null;
  errorCode: string | null;
  /** For failures, from the error model: trying again later, unchanged, may succeed (absent on older entries). */
  retryable?: boolean;
  /** For failures: how long to wait before that, when known. */
  retryAfterMs?: number | null;
  links: ToolLink[];
  durationMs: number;
}

export interface AuditEntryInput {
  clientKey: string;
  idempotencyKey: string;
  actor: Actor;
  trigger: ExecutionTrigger;
  source: PlanSource;
  planSummary: string;
  repositories: string[];
  tools: string[];
  steps: AuditStep[];
  outcome: ExecutionOutcome;
  /** One line for people: the summaries on success, the actionable failure otherwise. */
  message: string;
  startedAt: Date;
  durationMs: number;
}

export interface AuditEntry extends AuditEntryInput {
  /** null only when the audit write itself failed (logged). */
  id: number | null;
  /**
   * What the succeeded steps' results asked for next. Not part of the audit log: kept with the
   * execution's record, so a replay declares the same follow-ups again (queued under stable keys).
   */
  followUps?: FollowUp[];
  /** The latest `asOf` of the succeeded steps' results (kept with the execution, like the follow-ups). */
  asOf?: string | null;
}

/** What execute returns: the audit entry, its follow-up work, and whether it replays an earlier execution. */
export interface ExecutionResult extends AuditEntry {
  followUps: FollowUp[];
  /** When the state the steps reported was decided, if a tool said (else null): a reply built from it is stamped so. */
  asOf: string | null;
  replayed: boolean;
}

/**
 * Something Bosun did for a person outside any tool (deleting their stored tokens when they
 * disconnect): recorded by the executor, the one writer of the audit log, like a one-step plan.
 */
export interface RecordedAction {
  /** One entry per key, ever: a repeat returns the first entry. */
  idempotencyKey: string;
  trigger: ExecutionTrigger;
  source: PlanSource;
  /** The sentence the audit log shows as the plan, e.g. "Disconnect my Bitbucket account". */
  summary: string;
  /** A name for what was done, in the `<group>.<verb>` form of tool names (`account.disconnect`). */
  action: string;
  /** What happened, for people. */
  message: string;
  startedAt: Date;
}
