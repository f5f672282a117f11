import { isClarification, isPlanningError, isReadOnlyPlan, type AuditEntry, type AuditStore, type AutoMergeStore, type Executor, type NameDirectory, type Planner, type PlannerFacts, type ToolCatalog } from './agent';
import { toToolTenant } from './jobs';
import type { AskBosun, AuditLogViews, PendingMergeViews } from './web/api/ask-bosun-port';
import type { AgentPlanPageFacts, AgentPlanView, AuditEntryView } from './web/api/contracts';
import type { PendingMergeView } from './web/api/pending-merge-views';

function toPlannerFacts(page: AgentPlanPageFacts): PlannerFacts {
  const pullRequest = {
    ...(page.title ? { title: page.title } : {}),
    ...(page.sourceBranch ? { sourceBranch: page.sourceBranch } : {}),
    ...(page.destinationBranch ? { destinationBranch: page.destinationBranch } : {}),
  };
  return { pullRequest, ...(page.people ? { people: page.people } : {}) };
}

/** Ask Bosun over the agent: the planner, then the executor's preview (nothing runs here). */
export function createAskBosun(deps: { planner: Planner; executor: Executor; tools: ToolCatalog }): AskBosun {
  return {
    async plan(tenant, viewer, request) {
      const toolTenant = toToolTenant(tenant);
      const outcome = await deps.planner.plan(request.text, {
        tenant: toolTenant,
        // The slug when the page knows it: plans, previews and results then read `acme/web`, not `acme/{uuid}`.
        repo: { workspace: toolTenant.workspace, uuid: request.repoUuid, ...(request.repoSlug ? { slug: request.repoSlug } : {}) },
        ...(request.prId !== null ? { pullRequestId: request.prId } : {}),
        tools: deps.tools,
        ...(request.page ? { facts: toPlannerFacts(request.page) } : {}),
      });
      if (isPlanningError(outcome)) return { kind: 'refusal', error: outcome.error, suggestions: outcome.suggestions };
      if (isClarification(outcome)) return { kind: 'clarification', ...outcome.clarification };
      const preview = deps.executor.preview(outcome, { tenant: toolTenant, actor: { kind: 'user', userUuid: viewer.userUuid, accountId: viewer.accountId } });
      const view: AgentPlanView = {
        kind: 'plan',
        // Only reads and nothing to confirm: the panel runs it straight away (a question gets its answer).
        readOnly: isReadOnlyPlan(outcome, deps.tools) && preview.valid && !preview.needsConfirmation,
        plan: outcome,
        preview: {
          valid: preview.valid,
          problems: preview.problems,
          needsConfirmation: preview.needsConfirmation,
          confirmationReasons: preview.confirmationReasons,
          steps: preview.steps.map((s) => ({ index: s.index, tool: s.tool, input: s.input, valid: s.valid, problems: s.problems, risk: s.risk, actsAs: s.actsAs, repository: s.repository, description: s.description })),
        },
      };
      return view;
    },
    check(tenant, viewer, plan) {
      const preview = deps.executor.preview(plan, { tenant: toToolTenant(tenant), actor: { kind: 'user', userUuid: viewer.userUuid, accountId: viewer.accountId } });
      return { valid: preview.valid, problems: preview.problems, needsConfirmation: preview.needsConfirmation, confirmationReasons: preview.confirmationReasons, actsAsUser: preview.steps.some((s) => s.actsAs === 'user') };
    },
  };
}

export function toAuditEntryView(entry: AuditEntry): AuditEntryView {
  return {
    id: entry.id ?? 0,
    startedAt: entry.startedAt.toISOString(),
    durationMs: entry.durationMs,
    actor: {
      kind: entry.actor.kind,
      userUuid: entry.actor.userUuid,
      accountId: entry.actor.accountId,
      displayName: entry.actor.displayName ?? null,
      nickname: entry.actor.nickname ?? null,
    },
    trigger: entry.trigger,
    source: entry.source,
    summary: entry.planSummary,
    repositories: entry.repositories,
    tools: entry.tools,
    outcome: entry.outcome,
    message: entry.message,
    steps: entry.steps.map((s) => ({ tool: s.tool, outcome: s.outcome, summary: s.summary, message: s.message, links: s.links, durationMs: s.durationMs })),
  };
}

/** The audit store's entries as the pages show them. */
export function createAuditLogViews(audit: AuditStore): AuditLogViews {
  return {
    async get(clientKey, id) {
      const entry = await audit.get(clientKey, id);
      return entry ? toAuditEntryView(entry) : null;
    },
    async list(clientKey, filter) {
      const page = await audit.list(clientKey, filter);
      return { entries: page.entries.map(toAuditEntryView), total: page.total };
    },
  };
}

/** Pending "merge when green" requests with the names of who armed them. */
export function createPendingMergeViews(deps: { autoMerges: AutoMergeStore; names: NameDirectory }): PendingMergeViews {
  return {
    async list(clientKey, query) {
      const merges = await deps.autoMerges.listPending(clientKey, query);
      return Promise.all(
        merges.map(async (m): Promise<PendingMergeView> => {
          const name = m.requestedByUuid ? await deps.names.person(clientKey, m.requestedByUuid) : null;
          return {
            id: m.id,
            kind: 'merge-when-green',
            mergeStrategy: m.mergeStrategy,
            requestedBy: m.requestedByUuid || m.requestedByAccountId
              ? { uuid: m.requestedByUuid, accountId: m.requestedByAccountId, displayName: name?.displayName ?? null, nickname: name?.nickname ?? null }
              : null,
            requestedAt: m.createdAt.toISOString(),
            attempts: m.attempts,
            reason: m.reason,
          };
        }),
      );
    },
  };
}
