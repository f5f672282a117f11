import { z } from 'zod';
import { BOSUN_MARKER_PREFIX, hasWriteAccess, isClarification, isPlanningError, isReadOnlyPlan, parseCommand, toHelpText, type PlannerFacts } from '../../agent';
import type { Job } from '../job-queue';
import type { JobHandler } from '../worker';
import { PermanentJobError } from '../errors';
import { toToolTenant, type AutomationDeps } from './automation-deps';
import { formatAcknowledgement, formatClarification, formatHelp, formatRefusal, formatResultReply } from './format-reply';
import { ensurePointerToSticky, ensureStickyReply, type PullRequestRef } from './sticky-reply';
import { toPullRequestSyncJob } from '../webhook-jobs';

const jobSchema = z.object({ requestUuid: z.string().min(1) });

const account = z.looseObject({ type: z.string().optional(), uuid: z.string().optional(), account_id: z.string().nullish(), display_name: z.string().optional(), nickname: z.string().nullish() });
const commentEvent = z.looseObject({
  actor: account,
  repository: z.looseObject({ uuid: z.string(), full_name: z.string() }),
  pullrequest: z.looseObject({
    id: z.number().int(),
    title: z.string().optional(),
    source: z.looseObject({ branch: z.looseObject({ name: z.string() }).optional() }).optional(),
    destination: z.looseObject({ branch: z.looseObject({ name: z.string() }).optional() }).optional(),
    author: account.optional(),
    participants: z.array(z.looseObject({ user: account.optional() })).optional(),
    reviewers: z.array(account).optional(),
  }),
  comment: z.looseObject({ id: z.number(), content: z.looseObject({ raw: z.string() }), user: account.optional() }),
});

type CommentEvent = z.infer<typeof commentEvent>;

/** What the PR shows, for `/bosun ask …` ("the source branch", "ada") and commands on the source branch. */
function toPlannerFacts(event: CommentEvent): PlannerFacts {
  const pr = event.pullrequest;
  const accounts = [pr.author, ...(pr.participants ?? []).map((p) => p.user), ...(pr.reviewers ?? [])].filter(
    (a): a is NonNullable<typeof a> => a !== undefined && a.type !== 'app_user',
  );
  const people = [...new Map(accounts.map((a) => [a.uuid ?? a.nickname ?? a.display_name, a])).values()].map((a) => ({
    nickname: a.nickname ?? null,
    displayName: a.display_name ?? null,
    uuid: a.uuid ?? null,
  }));
  return {
    pullRequest: {
      ...(pr.title ? { title: pr.title } : {}),
      ...(pr.source?.branch?.name ? { sourceBranch: pr.source.branch.name } : {}),
      ...(pr.destination?.branch?.name ? { destinationBranch: pr.destination.branch.name } : {}),
    },
    people,
  };
}

/**
 * `/bosun …` in a PR comment: parse, check the author may do it in Bitbucket, plan, run through
 * the executor (idempotent per delivery), and answer in the sticky comment: acknowledged → result.
 */
export function createCommentCommandHandler(deps: AutomationDeps): JobHandler {
  return async (job: Job) => {
    const { requestUuid } = jobSchema.parse(job.payload);
    const delivery = await deps.deliveries.getByRequestUuid(job.clientKey, requestUuid);
    if (!delivery) throw new PermanentJobError(`Delivery ${requestUuid} is gone (uninstalled?)`);
    const parsedEvent = commentEvent.safeParse(delivery.payload);
    if (!parsedEvent.success) throw new PermanentJobError('The comment webhook payload lacks the fields a command needs');
    const event = parsedEvent.data;
    const raw = event.comment.content.raw;
    const author = event.comment.user ?? event.actor;
    // Bosun ignores its own comments (and any other app's).
    if (raw.includes(BOSUN_MARKER_PREFIX) || author.type === 'app_user') return { ignored: 'own comment' };
    const parsed = parseCommand(raw);
    if (parsed === null) return { ignored: 'not a command' };

    const tenant = await deps.tenants.get(job.clientKey);
    if (!tenant) return { ignored: 'uninstalled' };
    const toolTenant = toToolTenant(tenant);
    const [, repoSlug] = event.repository.full_name.split('/');
    const ref = { repo: repoSlug ?? event.repository.uuid, pullRequestId: event.pullrequest.id };
    const command = raw.trim().split(/\r?\n/, 1)[0]!.slice(0, 120);
    const who = author.display_name ?? author.nickname ?? 'someone';
    // The final answer of this command: the sticky comment, and a pointer to it when the thread has moved past it.
    const answer = async (body: string) => {
      const sticky = await ensureStickyReply(deps, tenant, ref, body);
      await pointToSticky(deps, tenant, ref, sticky, event.comment.id);
    };

    if (!parsed.ok) {
      await answer(formatRefusal(command, who, parsed.reply));
      return { refused: 'malformed' };
    }
    if (parsed.command.name === 'help') {
      // Changes nothing, so no audit entry: the sticky comment shows the commands.
      await answer(formatHelp(command, who, toHelpText()));
      return { outcome: 'help' };
    }
    if (!author.uuid) {
      await answer(formatRefusal(command, who, 'Bosun could not tell who wrote this command.'));
      return { refused: 'no author' };
    }

    // Planning is pure, so it comes first: a question asked in words needs no write access.
    const planned = await deps.commandPlanner.plan(raw, {
      tenant: toolTenant,
      repo: { workspace: toolTenant.workspace, slug: ref.repo, uuid: event.repository.uuid },
      pullRequestId: ref.pullRequestId,
      tools: deps.tools,
      facts: toPlannerFacts(event),
    });
    if (isPlanningError(planned)) {
      await answer(formatRefusal(command, who, planned.error, planned.suggestions));
      return { refused: 'not planned' };
    }
    if (isClarification(planned)) {
      await answer(formatClarification(command, who, planned.clarification));
      return { outcome: 'clarification' };
    }
    await ensureStickyReply(deps, tenant, ref, formatAcknowledgement(command, who));

    if (parsed.spec.needsWrite && !isReadOnlyPlan(planned, deps.tools)) {
      const client = await deps.clients.forInstallation(tenant.clientKey, { deliveryId: requestUuid });
      if (!(await hasWriteAccess(client, toolTenant.workspace, author.uuid))) {
        await answer(formatRefusal(command, who, `Only people with write access to ${event.repository.full_name} may run \`${command}\`.`));
        return { refused: 'no write access' };
      }
    }
    const ctx = {
      tenant: toolTenant,
      actor: { kind: 'user' as const, userUuid: author.uuid, accountId: author.account_id ?? null },
      logger: deps.logger.child({ tenant: tenant.clientKey, deliveryId: requestUuid }),
      deliveryId: requestUuid,
    };
    // A typed command is its own confirmation; free text that turns destructive goes to the panel.
    if (planned.source !== 'command' && deps.executor.preview(planned, ctx).needsConfirmation) {
      await answer(formatRefusal(command, who, `This would ${planned.summary.toLowerCase()}, which needs confirmation: ask in the Bosun panel of this pull request instead.`));
      return { refused: 'needs confirmation' };
    }
    const result = await deps.executor.execute(planned, ctx, {
      idempotencyKey: `comment:${requestUuid}`,
      confirmed: true,
      trigger: { kind: 'comment', ref: `${event.repository.full_name}#${ref.pullRequestId}/comment/${event.comment.id}` },
    });
    // Refused before anything ran while a step acts as the author: their connection is what is missing.
    const needsConnect = result.outcome === 'refused' && planned.steps.some((s) => deps.tools.get(s.tool)?.actsAs === 'user');
    await answer(formatResultReply({ command, author: who, result, auditUrl: deps.links.auditLog(tenant), connectUrl: needsConnect ? deps.links.personalSettings(tenant) : null }));
    // "merge when green" on a PR that is already green merges now, not at the next webhook.
    if (result.outcome === 'succeeded' && planned.steps.some((s) => s.tool === 'pullRequest.mergeWhenGreen')) {
      await deps.queue.enqueue(
        toPullRequestSyncJob(tenant.clientKey, { repositoryUuid: event.repository.uuid, pullRequestId: ref.pullRequestId }, { reason: 'command', dedupeKey: `sync-after:${requestUuid}` }),
      );
    }
    return { outcome: result.outcome, auditId: result.id };
  };
}

async function pointToSticky(deps: AutomationDeps, tenant: Parameters<typeof ensureStickyReply>[1], ref: PullRequestRef, sticky: Awaited<ReturnType<typeof ensureStickyReply>>, commandCommentId: number): Promise<void> {
  try {
    await ensurePointerToSticky(deps, tenant, ref, { sticky, commandCommentId });
  } catch (error) {
    // The answer is in the sticky comment already; a missing pointer is not worth running the command again.
    deps.logger.warn('could not point to the sticky comment', { tenant: tenant.clientKey, pullRequestId: ref.pullRequestId, error: error instanceof Error ? error.message : String(error) });
  }
}
