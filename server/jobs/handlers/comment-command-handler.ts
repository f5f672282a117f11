import { BOSUN_MARKER_PREFIX, isClarification, isPlanningError, parseCommand, toHelpText } from '../../agent';
import type { ContextHandler, TriggerContext } from '../trigger-context';
import type { WebhookCommentJob } from '../webhook-jobs';
import type { AutomationDeps } from './automation-deps';
import { toCommentPlannerFacts } from './to-comment-planner-facts';
import { enqueueFollowUps } from './follow-ups';
import { formatAcknowledgement, formatClarification, formatHelp, formatRefusal, formatResultReply } from './format-reply';
import { ensurePointerToSticky, ensureStickyReply, type PullRequestRef } from './sticky-reply';

/**
 * `/bosun …` in a PR comment: parse, plan, run through the executor (idempotent per delivery), and
 * answer in the sticky comment: acknowledged → result. Who may run what (write access for changes
 * made as the installation, the author's own connection for actions as them) is the executor's
 * precondition from each tool's metadata, as for buttons, Ask Bosun and rules.
 */
export function createCommentCommandHandler(deps: AutomationDeps): ContextHandler<WebhookCommentJob> {
  return async (trigger: TriggerContext<WebhookCommentJob>) => {
    const { requestUuid, event } = trigger.event;
    const { tenant, toolTenant } = trigger;
    const raw = event.comment.raw;
    const author = event.comment.author ?? event.actor;
    // Bosun ignores its own comments (and any other app's).
    if (raw.includes(BOSUN_MARKER_PREFIX) || author.type === 'app_user') return { ignored: 'own comment' };
    const parsed = parseCommand(raw);
    if (parsed === null) return { ignored: 'not a command' };

    const [, repoSlug] = event.repository.fullName.split('/');
    const ref: PullRequestRef = { repo: repoSlug ?? event.repository.uuid, pullRequestId: event.pullRequest.id };
    const command = raw.trim().split(/\r?\n/, 1)[0]!.slice(0, 120);
    const who = author.displayName ?? author.nickname ?? 'someone';
    const reply = async (body: string, asOf?: string | null) => ensureStickyReply(deps, tenant, ref, body, await trigger.installationClient(), asOf);
    // The final answer of this command: the sticky comment, and a pointer to it when the thread has moved past it.
    // `asOf`: when the result it reports was decided (the queue's transition), so a later notice is not overwritten.
    const answer = async (body: string, asOf?: string | null) => {
      const sticky = await reply(body, asOf);
      try {
        await ensurePointerToSticky(deps, tenant, ref, { sticky, commandCommentId: event.comment.id, client: await trigger.installationClient() });
      } catch (error) {
        // The answer is in the sticky comment already; a missing pointer is not worth running the command again.
        trigger.logger.warn('could not point to the sticky comment', { pullRequestId: ref.pullRequestId, error: error instanceof Error ? error.message : String(error) });
      }
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

    const planned = await deps.commandPlanner.plan(raw, {
      tenant: toolTenant,
      repo: { workspace: toolTenant.workspace, slug: ref.repo, uuid: event.repository.uuid },
      pullRequestId: ref.pullRequestId,
      tools: deps.tools,
      facts: toCommentPlannerFacts(event),
    });
    if (isPlanningError(planned)) {
      await answer(formatRefusal(command, who, planned.error, planned.suggestions));
      return { refused: 'not planned' };
    }
    if (isClarification(planned)) {
      await answer(formatClarification(command, who, planned.clarification));
      return { outcome: 'clarification' };
    }
    await reply(formatAcknowledgement(command, who));

    const ctx = {
      tenant: toolTenant,
      actor: { kind: 'user' as const, userUuid: author.uuid, accountId: author.accountId },
      logger: trigger.logger,
      deliveryId: requestUuid,
    };
    // A typed command is its own confirmation; free text that turns destructive goes to the panel.
    if (planned.source !== 'command' && deps.executor.preview(planned, ctx).needsConfirmation) {
      await answer(formatRefusal(command, who, `This would ${planned.summary.toLowerCase()}, which needs confirmation: ask in the Bosun panel of this pull request instead.`));
      return { refused: 'needs confirmation' };
    }
    const idempotencyKey = `comment:${requestUuid}`;
    const result = await deps.executor.execute(planned, ctx, {
      idempotencyKey,
      confirmed: true,
      trigger: { kind: 'comment', ref: `${event.repository.fullName}#${ref.pullRequestId}/comment/${event.comment.id}` },
    });
    // Refused before anything ran while a step acts as the author: their connection is what is missing.
    const needsConnect = result.outcome === 'refused' && planned.steps.some((s) => deps.tools.get(s.tool)?.actsAs === 'user');
    await answer(formatResultReply({ command, author: who, result, auditUrl: deps.links.auditLog(tenant), connectUrl: needsConnect ? deps.links.personalSettings(tenant) : null }), result.asOf);
    // What the tools' results asked for next (e.g. "merge when green" on a PR that is green already: check it now).
    await enqueueFollowUps(deps.queue, tenant.clientKey, result, idempotencyKey);
    return { outcome: result.outcome, auditId: result.id };
  };
}
