import express, { type Router } from 'express';
import { z } from 'zod';
import {
  isClarification,
  isPlanningError,
  isReadOnlyPlan,
  type AuditEntry,
  type AuditStore,
  type AutoMergeStore,
  type Executor,
  type NameDirectory,
  type Planner,
  type PlannerFacts,
  type ToolCatalog,
} from '../../agent';
import type { HostAuthenticator } from '../../host';
import { AGENT_EXECUTE_JOB, enqueueAgentExecution, toToolTenant, type AgentExecuteJob, type JobQueue } from '../../jobs';
import { NotFoundError, RequestValidationError } from '../request-validation-error';
import type { AgentExecuteAccepted, AgentJobView, AgentPlanClarificationView, AgentPlanRefusal, AgentPlanView, AuditEntryView, AuditPageView } from './contracts';
import type { PendingMergesView, PendingMergeView } from './pending-merge-views';
import { createSessionRoutes, HttpAnswer, parseBody, parseQuery, requireViewerUuid, uuidParam, type SessionGuards } from './session-routes';
import { storableJson, storableText } from './storable-text';

export interface AgentApiDeps {
  auth: HostAuthenticator;
  executor: Executor;
  /** Natural-language planner (deterministic, optionally chained with an LLM). */
  planner: Planner;
  tools: ToolCatalog;
  queue: JobQueue;
  audit: AuditStore;
  admin: SessionGuards['admin'];
  writes: SessionGuards['writes'];
  /** Pending "merge when green" requests and the names of who armed them (the route is absent without it). */
  pendingMerges?: { autoMerges: AutoMergeStore; names: NameDirectory };
}

const pendingMergesQuery = z.object({ repoUuid: uuidParam, prId: z.coerce.number().int().positive() });

const personName = storableText({ max: 255 }).nullable();
const pageFacts = z.object({
  title: storableText({ max: 255 }).optional(),
  sourceBranch: storableText({ max: 255 }).optional(),
  destinationBranch: storableText({ max: 255 }).optional(),
  people: z.array(z.object({ nickname: personName, displayName: personName, uuid: personName })).max(200).optional(),
});
const planBody = z.object({
  text: storableText({ max: 2000 }).trim().min(1),
  repoUuid: uuidParam,
  repoFullName: storableText({ max: 511 }).regex(/^[^/\s]+\/[^/\s]+$/, 'must be workspace/slug').nullish(),
  prId: z.number().int().positive().nullable(),
  // What the panel shows: defaults for "the source branch" and names to resolve; only ever a default in a plan the person sees.
  page: pageFacts.optional(),
});
const planSchema = z.object({
  summary: storableText({ max: 500 }),
  source: z.enum(['command', 'rule', 'natural-language', 'button', 'webhook', 'llm']),
  steps: z.array(z.object({ tool: storableText({ max: 64 }), input: storableJson })).min(1).max(20),
});
const executeBody = z.object({ plan: planSchema, idempotencyKey: storableText({ min: 8, max: 128 }), confirmed: z.boolean() });
const auditQuery = z.object({
  repo: storableText({ max: 255 }).optional(),
  actor: storableText({ max: 128 }).optional(),
  tool: storableText({ max: 64 }).optional(),
  outcome: z.enum(['succeeded', 'failed', 'refused']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

function toPlannerFacts(page: z.infer<typeof pageFacts>): PlannerFacts {
  const pullRequest = {
    ...(page.title ? { title: page.title } : {}),
    ...(page.sourceBranch ? { sourceBranch: page.sourceBranch } : {}),
    ...(page.destinationBranch ? { destinationBranch: page.destinationBranch } : {}),
  };
  return { pullRequest, ...(page.people ? { people: page.people } : {}) };
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

/** "Ask Bosun" (plan → preview → confirm → job) and the audit log; nothing here calls Bitbucket. */
export function createAgentRouter(deps: AgentApiDeps): Router {
  const router = express.Router();
  const handle = createSessionRoutes(router, deps);

  handle('post', '/api/agent/plan', ['pr-panel', 'repo-dashboard'], async ({ tenant, viewer, req }) => {
    const body = parseBody(planBody, req);
    const toolTenant = toToolTenant(tenant);
    const outcome = await deps.planner.plan(body.text, {
      tenant: toolTenant,
      // The slug when the page knows it: plans, previews and results then read `acme/web`, not `acme/{uuid}`.
      repo: { workspace: toolTenant.workspace, uuid: body.repoUuid, ...(body.repoFullName ? { slug: body.repoFullName.split('/')[1] as string } : {}) },
      ...(body.prId !== null ? { pullRequestId: body.prId } : {}),
      tools: deps.tools,
      ...(body.page ? { facts: toPlannerFacts(body.page) } : {}),
    });
    if (isPlanningError(outcome)) {
      const refusal: AgentPlanRefusal = { error: { code: 'PLAN_NOT_UNDERSTOOD', message: outcome.error, suggestions: outcome.suggestions } };
      return new HttpAnswer(422, refusal);
    }
    if (isClarification(outcome)) {
      const clarification: AgentPlanClarificationView = { kind: 'clarification', ...outcome.clarification };
      return clarification;
    }
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
  });

  handle('post', '/api/agent/execute', ['pr-panel', 'repo-dashboard'], async ({ tenant, viewer, req }) => {
    const body = parseBody(executeBody, req);
    const userUuid = requireViewerUuid(viewer);
    const toolTenant = toToolTenant(tenant);
    const preview = deps.executor.preview(body.plan, { tenant: toolTenant, actor: { kind: 'user', userUuid, accountId: viewer.accountId } });
    if (!preview.valid) throw new RequestValidationError(`This plan cannot run: ${preview.problems.join('; ')}`);
    if (preview.needsConfirmation && !body.confirmed) {
      throw new RequestValidationError(`This plan needs confirmation: ${preview.confirmationReasons.join('; ')}`);
    }
    const payload: AgentExecuteJob = {
      plan: body.plan,
      actor: { userUuid, accountId: viewer.accountId },
      idempotencyKey: `panel:${userUuid}:${body.idempotencyKey}`,
      confirmed: body.confirmed,
      trigger: { kind: 'panel', ref: viewer.page },
    };
    const accepted: AgentExecuteAccepted = await enqueueAgentExecution(deps.queue, tenant.clientKey, payload);
    return new HttpAnswer(202, accepted);
  });

  handle('get', '/api/agent/jobs/:jobId', ['pr-panel', 'repo-dashboard'], async ({ tenant, viewer, req }) => {
    const jobId = String(req.params.jobId ?? '');
    const job = /^[0-9a-f-]{36}$/i.test(jobId) ? await deps.queue.get(tenant.clientKey, jobId) : null;
    // A person follows their own requests; everyone's audit is for workspace admins (GET /api/audit).
    const requester = (job?.payload as { actor?: { userUuid?: unknown } } | null | undefined)?.actor?.userUuid;
    if (!job || job.type !== AGENT_EXECUTE_JOB || requester !== viewer.userUuid) throw new NotFoundError('No such request');
    const result = job.result as { auditId?: unknown; connect?: AgentJobView['connect'] } | null;
    const auditId = result?.auditId;
    const entry = typeof auditId === 'number' ? await deps.audit.get(tenant.clientKey, auditId) : null;
    const state = job.state === 'failed' ? 'dead' : job.state;
    const view: AgentJobView = {
      jobId: job.id,
      state,
      done: state === 'succeeded' || state === 'dead',
      audit: entry ? toAuditEntryView(entry) : null,
      error: state === 'dead' ? 'Bosun could not run this request; it has been logged.' : null,
      connect: result?.connect ?? null,
    };
    return view;
  });

  const pending = deps.pendingMerges;
  if (pending) {
    handle('get', '/api/agent/pending-merges', ['pr-panel'], async ({ tenant, req }): Promise<PendingMergesView> => {
      const q = parseQuery(pendingMergesQuery, req);
      const merges = await pending.autoMerges.listPending(tenant.clientKey, { repositoryUuid: q.repoUuid, pullRequestId: q.prId });
      const views = await Promise.all(
        merges.map(async (m): Promise<PendingMergeView> => {
          const name = m.requestedByUuid ? await pending.names.person(tenant.clientKey, m.requestedByUuid) : null;
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
      return { pending: views };
    });
  }

  handle('get', '/api/audit', ['admin-settings'], async ({ tenant, req }) => {
    const q = parseQuery(auditQuery, req);
    const page = await deps.audit.list(tenant.clientKey, {
      ...(q.repo ? { repository: q.repo } : {}),
      ...(q.actor ? { actor: q.actor } : {}),
      ...(q.tool ? { tool: q.tool } : {}),
      ...(q.outcome ? { outcome: q.outcome } : {}),
      limit: q.limit,
      offset: q.offset,
    });
    const view: AuditPageView = { entries: page.entries.map(toAuditEntryView), total: page.total, limit: q.limit, offset: q.offset };
    return view;
  });

  return router;
}
