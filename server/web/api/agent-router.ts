import express, { type Router } from 'express';
import { z } from 'zod';
import type { HostAuthenticator } from '../../host';
import { AGENT_EXECUTE_JOB, type AgentExecuteJob, type JobQueue } from '../../jobs';
import type { AskBosun, AuditLogViews, PendingMergeViews } from './ask-bosun-port';
import { NotFoundError, RequestValidationError } from '../request-validation-error';
import type { AgentExecuteAccepted, AgentJobView, AgentPlanRefusal, AuditPageView } from './contracts';
import type { PendingMergesView } from './pending-merge-views';
import { createSessionRoutes, HttpAnswer, parseBody, parseQuery, requireViewerUuid, uuidParam, type SessionGuards } from './session-routes';
import { startAgentExecution, type AgentExecutionDeps } from './start-agent-execution';
import { storableJson, storableText } from './storable-text';

export interface AgentApiDeps {
  auth: HostAuthenticator;
  /** The agent's planner and executor preview, behind the port (server/create-ask-bosun.ts). */
  askBosun: AskBosun;
  queue: JobQueue;
  audit: AuditLogViews;
  admin: SessionGuards['admin'];
  writes: SessionGuards['writes'];
  /** Pending "merge when green" requests and the names of who armed them (the route is absent without it). */
  pendingMerges?: PendingMergeViews;
  /** Runs a Forge viewer's plan that acts as them in their request, while Forge's token for them is at hand. */
  receive?: AgentExecutionDeps['receive'];
  userTokens?: SessionGuards['userTokens'];
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

/** "Ask Bosun" (plan → preview → confirm → job) and the audit log; nothing here calls Bitbucket. */
export function createAgentRouter(deps: AgentApiDeps): Router {
  const router = express.Router();
  const handle = createSessionRoutes(router, deps);

  handle('post', '/api/agent/plan', ['pr-panel', 'repo-dashboard'], async ({ tenant, viewer, req }) => {
    const body = parseBody(planBody, req);
    const answer = await deps.askBosun.plan(tenant, viewer, {
      text: body.text,
      repoUuid: body.repoUuid,
      repoSlug: body.repoFullName ? (body.repoFullName.split('/')[1] as string) : null,
      prId: body.prId,
      page: body.page ?? null,
    });
    if (answer.kind === 'refusal') {
      const refusal: AgentPlanRefusal = { error: { code: 'PLAN_NOT_UNDERSTOOD', message: answer.error, suggestions: answer.suggestions } };
      return new HttpAnswer(422, refusal);
    }
    return answer;
  });

  handle('post', '/api/agent/execute', ['pr-panel', 'repo-dashboard'], async ({ tenant, viewer, req }) => {
    const body = parseBody(executeBody, req);
    const userUuid = requireViewerUuid(viewer);
    const preview = deps.askBosun.check(tenant, { userUuid, accountId: viewer.accountId }, body.plan);
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
    const accepted: AgentExecuteAccepted = await startAgentExecution(deps, tenant, payload, { actsAsUser: preview.actsAsUser });
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
      audit: entry,
      error: state === 'dead' ? 'Bosun could not run this request; it has been logged.' : null,
      connect: result?.connect ?? null,
    };
    return view;
  });

  const pending = deps.pendingMerges;
  if (pending) {
    handle('get', '/api/agent/pending-merges', ['pr-panel'], async ({ tenant, req }): Promise<PendingMergesView> => {
      const q = parseQuery(pendingMergesQuery, req);
      const views = await pending.list(tenant.clientKey, { repositoryUuid: q.repoUuid, pullRequestId: q.prId });
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
    const view: AuditPageView = { entries: page.entries, total: page.total, limit: q.limit, offset: q.offset };
    return view;
  });

  return router;
}
