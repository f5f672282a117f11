import { z } from 'zod';
import { BOSUN_MARKER_PREFIX, isPlanningError, parseCommand } from '../../agent';
import type { Job } from '../job-queue';
import type { JobHandler } from '../worker';
import { PermanentJobError } from '../errors';
import { toToolTenant, type AutomationDeps } from './automation-deps';
import { formatAcknowledgement, formatRefusal, formatResultReply } from './format-reply';
import { ensureStickyReply } from './sticky-reply';
import { hasWriteAccess } from './write-access';
import { toPullRequestSyncJob } from '../webhook-jobs';

const jobSchema = z.object({ requestUuid: z.string().min(1) });

const account = z.looseObject({ type: z.string().optional(), uuid: z.string().optional(), account_id: z.string().nullish(), display_name: z.string().optional(), nickname: z.string().nullish() });
const commentEvent = z.looseObject({
  actor: account,
  repository: z.looseObject({ uuid: z.string(), full_name: z.string() }),
  pullrequest: z.looseObject({ id: z.number().int() }),
  comment: z.looseObject({ id: z.number(), content: z.looseObject({ raw: z.string() }), user: account.optional() }),
});


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

    if (!parsed.ok) {
      await ensureStickyReply(deps, tenant, ref, formatRefusal(command, who, parsed.reply));
      return { refused: 'malformed' };
    }
    if (!author.uuid) {
      await ensureStickyReply(deps, tenant, ref, formatRefusal(command, who, 'Bosun could not tell who wrote this command.'));
      return { refused: 'no author' };
    }
    await ensureStickyReply(deps, tenant, ref, formatAcknowledgement(command, who));

    if (parsed.spec.needsWrite) {
      const client = await deps.clients.forInstallation(tenant.clientKey, { deliveryId: requestUuid });
      if (!(await hasWriteAccess(client, toolTenant.workspace, author.uuid))) {
        await ensureStickyReply(deps, tenant, ref, formatRefusal(command, who, `Only people with write access to ${event.repository.full_name} may run \`${command}\`.`));
        return { refused: 'no write access' };
      }
    }

    const planned = await deps.commandPlanner.plan(raw, {
      tenant: toolTenant,
      repo: { workspace: toolTenant.workspace, slug: ref.repo, uuid: event.repository.uuid },
      pullRequestId: ref.pullRequestId,
      tools: deps.tools,
    });
    if (isPlanningError(planned)) {
      await ensureStickyReply(deps, tenant, ref, formatRefusal(command, who, planned.error, planned.suggestions));
      return { refused: 'not planned' };
    }
    const ctx = {
      tenant: toolTenant,
      actor: { kind: 'user' as const, userUuid: author.uuid, accountId: author.account_id ?? null },
      logger: deps.logger.child({ tenant: tenant.clientKey, deliveryId: requestUuid }),
      deliveryId: requestUuid,
    };
    // A typed command is its own confirmation; free text that turns destructive goes to the panel.
    if (planned.source !== 'command' && deps.executor.preview(planned, ctx).needsConfirmation) {
      await ensureStickyReply(deps, tenant, ref, formatRefusal(command, who, `This would ${planned.summary.toLowerCase()}, which needs confirmation: ask in the Bosun panel of this pull request instead.`));
      return { refused: 'needs confirmation' };
    }
    const result = await deps.executor.execute(planned, ctx, {
      idempotencyKey: `comment:${requestUuid}`,
      confirmed: true,
      trigger: { kind: 'comment', ref: `${event.repository.full_name}#${ref.pullRequestId}/comment/${event.comment.id}` },
    });
    // Refused before anything ran while a step acts as the author: their connection is what is missing.
    const needsConnect = result.outcome === 'refused' && planned.steps.some((s) => deps.tools.get(s.tool)?.actsAs === 'user');
    await ensureStickyReply(
      deps,
      tenant,
      ref,
      formatResultReply({ command, author: who, result, auditUrl: deps.links.auditLog(tenant), connectUrl: needsConnect ? deps.links.personalSettings(tenant) : null }),
    );
    // "merge when green" on a PR that is already green merges now, not at the next webhook.
    if (result.outcome === 'succeeded' && planned.steps.some((s) => s.tool === 'pullRequest.mergeWhenGreen')) {
      await deps.queue.enqueue(
        toPullRequestSyncJob(tenant.clientKey, { repositoryUuid: event.repository.uuid, pullRequestId: ref.pullRequestId }, { reason: 'command', dedupeKey: `sync-after:${requestUuid}` }),
      );
    }
    return { outcome: result.outcome, auditId: result.id };
  };
}
