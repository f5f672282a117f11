import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseWebhookData } from '../bitbucket/webhooks';
import type { BitbucketClient } from '../bitbucket';
import type { Tenant, WebhookCommentEvent } from '../host';
import { ForgeRefusedError, ForgeRequestError } from './errors';

/** Forge's Bitbucket events → the webhook event key whose handlers already do the work. */
export const FORGE_EVENT_KEYS: Readonly<Record<string, string>> = {
  'avi:bitbucket:created:pullrequest': 'pullrequest:created',
  'avi:bitbucket:updated:pullrequest': 'pullrequest:updated',
  'avi:bitbucket:fulfilled:pullrequest': 'pullrequest:fulfilled',
  'avi:bitbucket:rejected:pullrequest': 'pullrequest:rejected',
  'avi:bitbucket:created:pullrequest-comment': 'pullrequest:comment_created',
  // Approvals and change requests: the sync job re-reads the PR whatever the exact change was.
  'avi:bitbucket:updated:pullrequest-reviewer-status': 'pullrequest:updated',
};

const resource = z.looseObject({ uuid: z.string().min(3).max(64) });
/** Forge's Bitbucket event payloads name their objects by id only (https://developer.atlassian.com/platform/forge/events-reference/bitbucket/). */
export const forgeProductEventSchema = z.looseObject({
  eventType: z.string().min(1).max(128),
  actor: z.looseObject({ uuid: z.string().max(64).optional(), accountId: z.string().max(128).optional() }).optional(),
  workspace: resource,
  repository: resource,
  pullrequest: z.looseObject({ id: z.number().int().min(1).max(2_147_483_647) }).optional(),
  comment: z.looseObject({ id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).optional(),
});
export type ForgeProductEvent = z.infer<typeof forgeProductEventSchema>;

/** What the webhook intake stores for an event (the same shape a Connect webhook becomes). */
export interface ForgeEventDelivery {
  clientKey: string;
  requestUuid: string;
  hookUuid: string | null;
  eventKey: string;
  attempt: number;
  repositoryUuid: string;
  pullrequestId: number | null;
  commitHash: string | null;
  /** The comment as the edge's schema parsed it (null for other events): its job carries it. */
  comment: WebhookCommentEvent | null;
  payload: unknown;
  receivedAt: Date;
}

/** The webhook intake (jobs/), as forge/ sees it: stores once per (tenant, requestUuid) and enqueues in one transaction. */
export interface ForgeEventIntake {
  accept(input: ForgeEventDelivery): Promise<{ duplicate: boolean }>;
}

/**
 * Forge retries an event it thinks failed; the event names its objects, so the same event always
 * gets the same delivery id and a retry is stored once (the intake's dedupe), exactly like a
 * Connect redelivery with its X-Request-UUID.
 */
export function toForgeDeliveryId(installationId: string, event: ForgeProductEvent): string {
  const identity = [installationId, event.eventType, event.repository.uuid, event.pullrequest?.id ?? '', event.comment?.id ?? '', event.actor?.uuid ?? ''].join('\n');
  return `forge-${createHash('sha256').update(identity).digest('hex').slice(0, 48)}`;
}

/**
 * A Forge event carries ids only, but the handlers read a webhook's objects: the PR, repository and
 * comment are read as the app (two or three GETs, well inside Forge's 5 s) and the delivery is
 * stored in the webhook's own shape, validated by the same schemas.
 */
export async function toForgeEventDelivery(input: {
  tenant: Tenant;
  client: BitbucketClient;
  event: ForgeProductEvent;
  receivedAt: Date;
}): Promise<ForgeEventDelivery | null> {
  const { tenant, event, client } = input;
  const eventKey = FORGE_EVENT_KEYS[event.eventType];
  if (!eventKey) return null;
  if (tenant.workspaceUuid && event.workspace.uuid !== tenant.workspaceUuid) {
    throw new ForgeRefusedError('FORGE_OTHER_INSTALLATION', "The event is about another workspace than its installation's");
  }
  if (!event.pullrequest) throw new ForgeRequestError(`${event.eventType} must name its pull request`);
  const workspace = event.workspace.uuid;
  const repo = event.repository.uuid;
  const prId = event.pullrequest.id;
  const [repository, pullrequest] = await Promise.all([client.repositories.get(workspace, repo), client.pullRequests.get(workspace, repo, prId)]);
  let comment: unknown = undefined;
  if (eventKey === 'pullrequest:comment_created') {
    const commentId = event.comment?.id;
    if (!commentId) throw new ForgeRequestError('A comment event must name its comment');
    // REST 2.0 has GET …/comments/{id}, which Bosun's client does not wrap yet: the PR's comments, newest last.
    comment = (await client.pullRequests.listComments(workspace, repo, prId)).find((c) => c.id === commentId);
    if (!comment) return null;
  }
  const author = (comment as { user?: unknown } | undefined)?.user;
  const actor = author ?? (event.actor ? { type: 'user', uuid: event.actor.uuid, account_id: event.actor.accountId } : pullrequest.author);
  const data = { actor, repository, pullrequest, ...(comment ? { comment } : {}) };
  const parsed = parseWebhookData(eventKey, data);
  return {
    clientKey: tenant.clientKey,
    requestUuid: toForgeDeliveryId(tenant.clientKey, event),
    hookUuid: null,
    eventKey: parsed.event,
    attempt: 1,
    repositoryUuid: parsed.repositoryUuid,
    pullrequestId: parsed.pullRequestId,
    commitHash: parsed.commitHash,
    comment: parsed.comment,
    payload: data,
    receivedAt: input.receivedAt,
  };
}
