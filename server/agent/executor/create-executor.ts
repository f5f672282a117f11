import { randomUUID } from 'node:crypto';
import type { BitbucketClient } from '../../bitbucket';
import { missingScopes } from '../../bitbucket/scopes';
import type { Logger } from '../../log';
import type { ClientResolver } from '../client-resolver';
import { ConfirmationRequiredError, ExecutionInProgressError, ExecutionTakenOverError, MissingScopesError } from '../errors';
import type { AuditStore } from '../stores/audit-store';
import { UNLEASED_STALE_AFTER_MS, type ExecutionStore } from '../stores/execution-store';
import type { ToolCatalog } from '../tools/tool-catalog';
import type { AnyTool, FollowUp } from '../tools/tool';
import { describeFailure, toIssueText } from './describe-failure';
import { hasWriteAccess } from './has-write-access';
import type {
  AuditEntry,
  AuditEntryInput,
  AuditStep,
  ExecuteOptions,
  ExecutionContext,
  ExecutionResult,
  Plan,
  PlanPreview,
  RecordedAction,
  StepPreview,
} from './plan';
import { stripSecrets } from './strip-secrets';

export interface ExecutorOptions {
  tools: ToolCatalog;
  clients: ClientResolver;
  audit: AuditStore;
  executions: ExecutionStore;
  logger: Logger;
  now: () => Date;
  /** Scopes the installation was granted (the descriptor's `scopes`): checked before any installation step runs. */
  installationScopes: readonly string[];
  /**
   * Who may run what, from each tool's metadata: a person (actor kind `user`) has Bosun change
   * things as the installation (a step with `actsAs: 'installation'` and a risk other than `read`)
   * only with write access of their own to the workspace, as Bitbucket says. The same for comments,
   * buttons and Ask Bosun; rules were checked when a person armed them. Off in unit tests whose
   * fake clients do not answer permissions.
   */
  requireWriteAccess?: boolean;
  /** How long a repeat waits for a concurrent first execution to finish. Default 30 s, polling every 100 ms. */
  waitForRunning?: { timeoutMs?: number; intervalMs?: number };
  /**
   * How long a run holds its idempotency key without renewing it. A run renews its lease every
   * third of this and before each step; once the lease has run out (the process died or stalled)
   * the next attempt takes the execution over and runs the plan again, every step told it may
   * already have been applied. Default 60 s.
   */
  leaseMs?: number;
  /** Names each run's lease; default a random UUID. */
  newOwner?: () => string;
  sleep?: (ms: number) => Promise<void>;
}

export interface Executor {
  /** Validates the plan and says what it would do and whether it needs confirmation. Runs nothing. */
  preview(plan: Plan, ctx: ExecutionContext): PlanPreview;
  /**
   * Runs the plan once per idempotency key. Throws ConfirmationRequiredError (nothing recorded)
   * when the plan needs confirmation and `confirmed` is false, InvalidPlanError never: an invalid
   * plan is a `refused` outcome. Every other failure comes back as the outcome, worded for people.
   */
  execute(plan: Plan, ctx: ExecutionContext, options: ExecuteOptions): Promise<ExecutionResult>;
  /** Records what Bosun did outside a tool (see RecordedAction): the one audit entry, once per key. */
  recordAction(action: RecordedAction, ctx: ExecutionContext): Promise<AuditEntry>;
}

interface ValidStep {
  tool: AnyTool;
  input: unknown;
  repository: string | null;
}

/** Said when a person without write access asks Bosun to change something as the installation. */
export const WRITE_ACCESS_REFUSAL = 'Only people with write access to this workspace may have Bosun change it.';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** This run's hold on its execution: renewed on a timer and at each step boundary. */
interface Lease {
  /** True while the run may go on: renews now, or still within the last renewal when the store cannot be reached. */
  confirm(): Promise<boolean>;
  stop(): void;
}

/** The repository a step touches, by the `workspace`/`repo` input convention of the catalog. */
function toRepository(input: unknown, defaultWorkspace: string): string | null {
  if (input === null || typeof input !== 'object') return null;
  const { workspace, repo } = input as { workspace?: unknown; repo?: unknown };
  if (typeof repo !== 'string') return null;
  return `${typeof workspace === 'string' ? workspace : defaultWorkspace}/${repo}`;
}

/**
 * The one place plans are applied: validation, confirmation, idempotency, scope checks, ordered
 * steps that stop at the first failure, and one audit entry per execution.
 */
export function createExecutor(options: ExecutorOptions): Executor {
  const { tools, clients, audit, executions, logger, now } = options;
  const sleep = options.sleep ?? defaultSleep;
  const waitTimeoutMs = options.waitForRunning?.timeoutMs ?? 30_000;
  const waitIntervalMs = options.waitForRunning?.intervalMs ?? 100;
  const leaseMs = options.leaseMs ?? 60_000;
  const newOwner = options.newOwner ?? randomUUID;
  const leaseUntil = () => new Date(now().getTime() + leaseMs);

  function preview(plan: Plan, ctx: ExecutionContext): PlanPreview {
    const steps: StepPreview[] = plan.steps.map((step, index) => {
      const tool = tools.get(step.tool);
      if (!tool) {
        return {
          index, tool: step.tool, input: step.input, valid: false,
          problems: [`Step ${index + 1}: there is no tool named "${step.tool}"`],
          risk: null, actsAs: null, scopes: [], repository: null, description: null,
        };
      }
      const parsed = tool.input.safeParse(step.input);
      const base = { index, tool: tool.name, risk: tool.risk, actsAs: tool.actsAs, scopes: [...tool.scopes], description: tool.description };
      if (!parsed.success) {
        return {
          ...base, input: step.input, valid: false,
          problems: [`Step ${index + 1} (${tool.name}): ${toIssueText(parsed.error)}`],
          repository: toRepository(step.input, ctx.tenant.workspace),
        };
      }
      // An installation acts in its own workspace only, whatever a plan (or an LLM) names.
      const named = (parsed.data as { workspace?: unknown } | null)?.workspace;
      if (typeof named === 'string' && named.toLowerCase() !== ctx.tenant.workspace.toLowerCase()) {
        return {
          ...base, input: parsed.data, valid: false,
          problems: [`Step ${index + 1} (${tool.name}): Bosun acts only in the workspace it is installed in (${ctx.tenant.workspace}), not in ${named}`],
          repository: toRepository(parsed.data, ctx.tenant.workspace),
        };
      }
      return { ...base, input: parsed.data, valid: true, problems: [], repository: toRepository(parsed.data, ctx.tenant.workspace) };
    });
    const problems = steps.flatMap((s) => s.problems);
    if (plan.steps.length === 0) problems.push('The plan has no steps');
    const repositories = [...new Set(steps.flatMap((s) => (s.repository ? [s.repository] : [])))];
    const confirmationReasons = [
      ...steps.filter((s) => s.risk === 'destructive').map((s) => `${s.tool} cannot be undone`),
      ...(repositories.length > 1 ? [`it touches ${repositories.length} repositories (${repositories.join(', ')})`] : []),
    ];
    return {
      summary: plan.summary,
      source: plan.source,
      steps,
      valid: problems.length === 0,
      problems,
      needsConfirmation: confirmationReasons.length > 0,
      confirmationReasons,
      repositories,
    };
  }

  /**
   * Another run holds (or held) this key: wait for its outcome, or take the execution over once its
   * lease has run out (its process died). Takes over only when this request may run the plan.
   *
   * Why a lease (issue 8, item 7): a run used to be taken over once it had been "running" for 60 s,
   * alive or not. A job killed after Bitbucket applied a step but before `finish` was then re-run in
   * full, and tools that did not look first (a plain comment) wrote a second time; and a live run
   * slower than 60 s (async merge polls, rate-limit waits) could be taken over while it still wrote.
   * Now only a run that stopped renewing is taken over, its steps are told they may have been
   * applied (see StepAttempt), and the old run is fenced off at its next step.
   */
  async function waitOrTakeOver(
    clientKey: string,
    idempotencyKey: string,
    owner: string,
    mayRun: () => void,
  ): Promise<{ replay: AuditEntry } | { takenOver: true }> {
    let deadline = now().getTime() + waitTimeoutMs;
    for (let first = true; ; first = false) {
      const existing = await executions.get(clientKey, idempotencyKey);
      // A dead run's lease may outlast the wait: wait it out, so the takeover happens in this attempt
      // rather than after a failed one (a live run renews, and the repeat then gives up in time).
      if (first && existing?.state === 'running' && existing.leaseExpiresAt) {
        deadline = Math.max(deadline, existing.leaseExpiresAt.getTime() + waitIntervalMs);
      }
      if (existing?.state === 'finished' && existing.result) return { replay: existing.result };
      if (existing?.state === 'running' && isLeaseOver(existing.leaseExpiresAt, existing.createdAt)) {
        mayRun();
        if (await executions.takeOver(clientKey, idempotencyKey, { owner, leaseExpiresAt: leaseUntil(), now: now() })) return { takenOver: true };
      }
      if (now().getTime() >= deadline) throw new ExecutionInProgressError(idempotencyKey);
      await sleep(waitIntervalMs);
    }
  }

  function isLeaseOver(leaseExpiresAt: Date | null, createdAt: Date): boolean {
    const at = now().getTime();
    return leaseExpiresAt === null ? createdAt.getTime() < at - UNLEASED_STALE_AFTER_MS : leaseExpiresAt.getTime() <= at;
  }

  function holdLease(clientKey: string, idempotencyKey: string, owner: string, log: Logger): Lease {
    let confirmedUntil = now().getTime() + leaseMs;
    let lost = false;
    const confirm = async (): Promise<boolean> => {
      if (lost) return false;
      const until = leaseUntil();
      try {
        if (await executions.renew(clientKey, idempotencyKey, owner, until)) {
          confirmedUntil = until.getTime();
          return true;
        }
        lost = true;
      } catch (error) {
        // A store hiccup is not a lost lease, as long as the last renewal still holds.
        if (now().getTime() < confirmedUntil) {
          log.warn('Could not renew the execution lease; will try again', { error });
          return true;
        }
        lost = true;
      }
      log.warn('This run lost its execution lease (another run took it over); it stops here and records nothing');
      return false;
    };
    const timer = setInterval(() => void confirm(), Math.max(10, Math.floor(leaseMs / 3)));
    timer.unref?.();
    return { confirm, stop: () => clearInterval(timer) };
  }

  async function execute(plan: Plan, ctx: ExecutionContext, opts: ExecuteOptions): Promise<ExecutionResult> {
    const clientKey = ctx.tenant.clientKey;
    const log = (ctx.logger ?? logger).child({ idempotencyKey: opts.idempotencyKey, source: plan.source });
    const owner = newOwner();
    const checked = preview(plan, ctx);
    const mayRun = () => {
      if (checked.valid && checked.needsConfirmation && !opts.confirmed) throw new ConfirmationRequiredError(checked.confirmationReasons);
    };

    // A repeat (webhook redelivery, double click, retried job) returns the first outcome before anything else,
    // unless the first run's process died: a run whose lease ran out is taken over and runs again.
    let takenOver = false;
    const earlier = await executions.get(clientKey, opts.idempotencyKey);
    if (earlier) {
      const settled = await waitOrTakeOver(clientKey, opts.idempotencyKey, owner, mayRun);
      if ('replay' in settled) return toReplay(settled.replay);
      takenOver = true;
    } else {
      mayRun();
      const { claimed } = await executions.claim(
        { clientKey, idempotencyKey: opts.idempotencyKey, source: plan.source, planSummary: plan.summary, owner, leaseExpiresAt: leaseUntil() },
        now(),
      );
      if (!claimed) {
        const settled = await waitOrTakeOver(clientKey, opts.idempotencyKey, owner, mayRun);
        if ('replay' in settled) return toReplay(settled.replay);
        takenOver = true;
      }
    }
    if (takenOver) log.warn('Taking over an execution whose run stopped renewing its lease; every step checks Bitbucket before writing');

    const startedAt = now();
    const base = {
      clientKey,
      idempotencyKey: opts.idempotencyKey,
      actor: ctx.actor,
      trigger: opts.trigger,
      source: plan.source,
      planSummary: plan.summary,
      repositories: checked.repositories,
      tools: [...new Set(plan.steps.map((s) => s.tool))],
      startedAt,
    };
    const skipped = (): AuditStep[] =>
      checked.steps.map((s) => ({
        tool: s.tool, input: stripSecrets(s.input), outcome: 'skipped', summary: null,
        message: s.problems[0] ?? null, errorCode: null, links: [], durationMs: 0,
      }));

    const lease = holdLease(clientKey, opts.idempotencyKey, owner, log);
    let entry: AuditEntryInput;
    let followUps: FollowUp[] = [];
    let asOf: string | null = null;
    try {
      if (!checked.valid) {
        entry = { ...base, steps: skipped(), outcome: 'refused', message: `Bosun did not run this: ${checked.problems.join('; ')}.`, durationMs: 0 };
      } else {
        const steps = checked.steps.map((s): ValidStep => ({ tool: tools.get(s.tool) as AnyTool, input: s.input, repository: s.repository }));
        ({ entry, followUps, asOf } = await runChecked(steps, ctx, base, skipped, log, { lease, idempotencyKey: opts.idempotencyKey, mayBeApplied: takenOver }));
      }
    } catch (error) {
      if (error instanceof ExecutionTakenOverError) {
        lease.stop();
        throw error;
      }
      // Only bugs land here (tools' errors are caught per step); the key must not stay "running".
      log.error('Executor failed unexpectedly', { error });
      entry = { ...base, steps: skipped(), outcome: 'failed', message: 'Something went wrong in Bosun; it has been logged.', durationMs: now().getTime() - startedAt.getTime() };
    }
    // One audit entry per execution: a run that lost its lease leaves the record to the run that took over.
    const stillOwner = await lease.confirm();
    lease.stop();
    if (!stillOwner) throw new ExecutionTakenOverError(opts.idempotencyKey);

    let recorded: AuditEntry;
    try {
      recorded = await audit.record(entry);
    } catch (error) {
      log.error('Could not write the audit entry', { error });
      recorded = { ...entry, id: null };
    }
    // The follow-ups go with the execution's record (for replays), not into the audit log.
    if (!(await executions.finish(clientKey, opts.idempotencyKey, { ...recorded, followUps, asOf }, now(), owner))) {
      log.warn('Execution was taken over while its outcome was written; the other run records its own');
    }
    log.info('Plan executed', { outcome: recorded.outcome, auditId: recorded.id, durationMs: recorded.durationMs });
    return { ...recorded, followUps, asOf, replayed: false };
  }

  function toReplay(entry: AuditEntry): ExecutionResult {
    return { ...entry, followUps: entry.followUps ?? [], asOf: entry.asOf ?? null, replayed: true };
  }

  async function runChecked(
    steps: ValidStep[],
    ctx: ExecutionContext,
    base: Omit<AuditEntryInput, 'steps' | 'outcome' | 'message' | 'durationMs'>,
    skipped: () => AuditStep[],
    log: Logger,
    attempt: { lease: Lease; idempotencyKey: string; mayBeApplied: boolean },
  ): Promise<{ entry: AuditEntryInput; followUps: FollowUp[]; asOf: string | null }> {
    const clientKey = ctx.tenant.clientKey;
    const refused = (entry: AuditEntryInput) => ({ entry, followUps: [], asOf: null });
    const elapsed = () => now().getTime() - base.startedAt.getTime();

    // Scopes first, for every step: nothing runs if any step could not.
    const installationSteps = steps.filter((s) => s.tool.actsAs === 'installation');
    const missing = [...new Set(installationSteps.flatMap((s) => missingScopes(options.installationScopes, s.tool.scopes)))];
    if (missing.length > 0) {
      const failing = installationSteps.find((s) => missingScopes(options.installationScopes, s.tool.scopes).length > 0) as ValidStep;
      const error = new MissingScopesError('The installation lacks scopes', { requiredScopes: [...failing.tool.scopes], missingScopes: missing, actsAs: 'installation' });
      const { message } = describeFailure(error, { tool: failing.tool.name, actsAs: 'installation', input: failing.input, tenant: ctx.tenant });
      return refused({ ...base, steps: skipped(), outcome: 'refused', message, durationMs: elapsed() });
    }

    let userClient: BitbucketClient | null = null;
    let installationClient: BitbucketClient | null = null;
    const userSteps = steps.filter((s) => s.tool.actsAs === 'user');
    try {
      if (userSteps.length > 0) {
        const userUuid = ctx.actor.userUuid;
        if (userUuid === null) {
          const first = userSteps[0] as ValidStep;
          return refused({
            ...base,
            steps: skipped(),
            outcome: 'refused',
            message: `${first.tool.name} acts as a person, but this request has no user behind it (${ctx.actor.kind}); ask a person to run it.`,
            durationMs: elapsed(),
          });
        }
        const required = [...new Set(userSteps.flatMap((s) => [...s.tool.scopes]))];
        userClient = await clients.forUser(clientKey, userUuid, required, { deliveryId: ctx.deliveryId });
      }
      if (installationSteps.length > 0) installationClient = await clients.forInstallation(clientKey, { deliveryId: ctx.deliveryId });
      const changesAsApp = installationSteps.some((s) => s.tool.risk !== 'read');
      if (options.requireWriteAccess && changesAsApp && ctx.actor.kind === 'user' && ctx.actor.userUuid !== null && installationClient) {
        if (!(await hasWriteAccess(installationClient, ctx.tenant.workspace, ctx.actor.userUuid))) {
          return refused({ ...base, steps: skipped(), outcome: 'refused', message: WRITE_ACCESS_REFUSAL, durationMs: elapsed() });
        }
      }
    } catch (error) {
      const first = (userSteps[0] ?? steps[0]) as ValidStep;
      const failure = describeFailure(error, { tool: first.tool.name, actsAs: first.tool.actsAs, input: first.input, tenant: ctx.tenant });
      if (failure.code === 'AGENT_INTERNAL') log.error('Could not get a Bitbucket client', { error });
      // The step that could not get its client carries the failure's code, so callers decide by it (a Connect prompt), not by the message.
      const notRun = skipped().map((s, i) => (i === steps.indexOf(first) ? { ...s, errorCode: failure.code } : s));
      return refused({ ...base, steps: notRun, outcome: 'refused', message: failure.message, durationMs: elapsed() });
    }

    const results: AuditStep[] = [];
    const followUps: FollowUp[] = [];
    let asOf: string | null = null;
    let failedMessage: string | null = null;
    for (const [index, step] of steps.entries()) {
      const input = stripSecrets(step.input);
      if (failedMessage !== null) {
        results.push({ tool: step.tool.name, input, outcome: 'skipped', summary: null, message: null, errorCode: null, links: [], durationMs: 0 });
        continue;
      }
      // Fencing: a run that lost its lease starts no further step (the run that took over does them).
      if (!(await attempt.lease.confirm())) throw new ExecutionTakenOverError(attempt.idempotencyKey);
      const client = (step.tool.actsAs === 'user' ? userClient : installationClient) as BitbucketClient;
      const stepStart = now().getTime();
      const stepLog = log.child({ tool: step.tool.name, step: results.length + 1 });
      try {
        const result = await step.tool.run(
          {
            tenant: ctx.tenant, actor: ctx.actor, client, logger: stepLog, now,
            step: { idempotencyKey: `${attempt.idempotencyKey}#${index + 1}`, mayBeApplied: attempt.mayBeApplied },
          },
          step.input,
        );
        results.push({
          tool: step.tool.name, input, outcome: 'succeeded', summary: result.summary, message: null,
          errorCode: null, links: result.links, durationMs: now().getTime() - stepStart,
        });
        followUps.push(...(result.followUps ?? []));
        if (result.asOf && (asOf === null || Date.parse(result.asOf) > Date.parse(asOf))) asOf = result.asOf;
      } catch (error) {
        const failure = describeFailure(error, { tool: step.tool.name, actsAs: step.tool.actsAs, input: step.input, tenant: ctx.tenant });
        if (failure.code === 'AGENT_INTERNAL' || failure.code === 'BITBUCKET_RESPONSE_SHAPE') stepLog.error('Tool failed unexpectedly', { error });
        else stepLog.warn('Tool failed', { code: failure.code });
        failedMessage = failure.message;
        results.push({
          tool: step.tool.name, input, outcome: 'failed', summary: null, message: failure.message,
          errorCode: failure.code, retryable: failure.retryable, retryAfterMs: failure.retryAfterMs, links: [], durationMs: now().getTime() - stepStart,
        });
      }
    }
    const summaries = results.flatMap((r) => (r.summary ? [r.summary] : []));
    const entry: AuditEntryInput = {
      ...base,
      steps: results,
      outcome: failedMessage === null ? 'succeeded' : 'failed',
      message: failedMessage === null ? summaries.join(' ') : [...summaries, failedMessage].join(' '),
      durationMs: elapsed(),
    };
    // What the applied steps asked for still stands when a later step failed: they did happen.
    return { entry, followUps, asOf };
  }

  async function recordAction(action: RecordedAction, ctx: ExecutionContext): Promise<AuditEntry> {
    const clientKey = ctx.tenant.clientKey;
    const owner = newOwner();
    const { claimed } = await executions.claim(
      { clientKey, idempotencyKey: action.idempotencyKey, source: action.source, planSummary: action.summary, owner, leaseExpiresAt: leaseUntil() },
      now(),
    );
    if (!claimed) {
      const earlier = await executions.get(clientKey, action.idempotencyKey);
      if (earlier?.result) return earlier.result;
    }
    const entry: AuditEntryInput = {
      clientKey,
      idempotencyKey: action.idempotencyKey,
      actor: ctx.actor,
      trigger: action.trigger,
      source: action.source,
      planSummary: action.summary,
      repositories: [],
      tools: [action.action],
      steps: [],
      outcome: 'succeeded',
      message: action.message,
      startedAt: action.startedAt,
      durationMs: Math.max(0, now().getTime() - action.startedAt.getTime()),
    };
    const recorded = await audit.record(entry);
    if (claimed) await executions.finish(clientKey, action.idempotencyKey, recorded, now(), owner);
    return recorded;
  }

  return { preview, execute, recordAction };
}
